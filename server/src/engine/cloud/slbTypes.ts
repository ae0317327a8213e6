/**
 * Request and response types of the SLB (CLB) RPC API, version 2014-05-15, for the actions
 * this project uses. Field names are the WIRE names (PascalCase, as in the JSON bodies and
 * the query parameters), mirroring the models of the generated `@alicloud/slb20140515` SDK.
 *
 * Request quirk hidden by the client: on CreateLoadBalancerTCPListener / UDPListener the SDK
 * sends `healthCheckInterval` (and on UDP `healthCheckReq` / `healthCheckExp`) with a lower-case
 * first letter. The request types here use the PascalCase spelling like every other field; the
 * client renames them on the wire (see `slbClient.ts`). The lower-case spelling is accepted too.
 *
 * Response quirks: the misspelt legacy `ListenerPortsAndProtocal` is typed and read tolerantly
 * (see {@link listenerPortsAndProtocols}); `ProxyProtocolV2Enabled` is a boolean in attribute
 * responses and a "true"/"false" string in DescribeLoadBalancerListeners (see {@link toBool}).
 */

/** Owner fields accepted by every action; normally unset. */
export interface SlbCommonRequest {
  RegionId?: string;
  OwnerId?: number;
  OwnerAccount?: string;
  ResourceOwnerId?: number;
  ResourceOwnerAccount?: string;
}

export interface SlbResponseBase {
  RequestId: string;
}

/** What every generated `<Action>WithOptions` returns (`<Action>Response`). */
export interface SlbRawResponse<B> {
  headers: Record<string, string>;
  statusCode: number;
  body: B;
}

export interface TagFilter {
  Key?: string;
  Value?: string;
}
export interface ResourceTag {
  TagKey?: string;
  TagValue?: string;
}

export type OnOff = 'on' | 'off';
export type ListenerProtocol = 'tcp' | 'udp' | 'http' | 'https';
export type LoadBalancerStatus = 'inactive' | 'active' | 'locked';
export type ListenerStatus = 'running' | 'stopped' | 'starting' | 'stopping' | 'configuring';

// ---------------------------------------------------------------------------------------------
// DescribeRegions

export interface DescribeRegionsRequest extends SlbCommonRequest {
  AcceptLanguage?: 'zh-CN' | 'en-US' | 'ja' | string;
}
export interface SlbRegion {
  RegionId: string;
  LocalName?: string;
  RegionEndpoint?: string;
}
export interface DescribeRegionsResponseBody extends SlbResponseBase {
  Regions: { Region: SlbRegion[] };
}

// ---------------------------------------------------------------------------------------------
// DescribeLoadBalancers

export interface DescribeLoadBalancersRequest extends SlbCommonRequest {
  /**
   * Up to 10 IDs. On the wire this action takes ONE comma-separated string; an array given
   * here is joined with commas by the client.
   */
  LoadBalancerId?: string | string[];
  /** Up to 10 names; comma-joined like LoadBalancerId. */
  LoadBalancerName?: string | string[];
  Address?: string;
  AddressType?: 'internet' | 'intranet';
  AddressIPVersion?: 'ipv4' | 'ipv6';
  NetworkType?: 'vpc' | 'classic';
  VpcId?: string;
  VSwitchId?: string;
  MasterZoneId?: string;
  SlaveZoneId?: string;
  LoadBalancerStatus?: LoadBalancerStatus;
  InternetChargeType?: 'paybybandwidth' | 'paybytraffic';
  PayType?: string;
  ServerId?: string;
  ServerIntranetAddress?: string;
  ResourceGroupId?: string;
  Tag?: TagFilter[];
  /** Legacy JSON string filter. */
  Tags?: string;
  PageNumber?: number;
  PageSize?: number;
}
export interface LoadBalancerSummary {
  LoadBalancerId: string;
  LoadBalancerName?: string;
  LoadBalancerStatus?: LoadBalancerStatus | string;
  Address?: string;
  AddressType?: 'internet' | 'intranet' | string;
  AddressIPVersion?: string;
  NetworkType?: 'vpc' | 'classic' | string;
  VpcId?: string;
  VSwitchId?: string;
  RegionId?: string;
  RegionIdAlias?: string;
  MasterZoneId?: string;
  SlaveZoneId?: string;
  Bandwidth?: number;
  InternetChargeType?: string;
  InternetChargeTypeAlias?: string;
  InstanceChargeType?: string;
  PayType?: string;
  LoadBalancerSpec?: string;
  CreateTime?: string;
  CreateTimeStamp?: number;
  ResourceGroupId?: string;
  DeleteProtection?: OnOff | string;
  ModificationProtectionStatus?: string;
  ModificationProtectionReason?: string;
  Tags?: { Tag?: ResourceTag[] };
}
export interface DescribeLoadBalancersResponseBody extends SlbResponseBase {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
  LoadBalancers: { LoadBalancer: LoadBalancerSummary[] };
}

// ---------------------------------------------------------------------------------------------
// DescribeLoadBalancerAttribute

export interface DescribeLoadBalancerAttributeRequest extends SlbCommonRequest {
  LoadBalancerId: string;
}
export interface ListenerPortAndProtocol {
  ListenerPort: number;
  ListenerProtocol: ListenerProtocol | string;
  ListenerForward?: OnOff | string;
  ForwardPort?: number;
  Description?: string;
}
/** Legacy misspelt entry still returned by the API. */
export interface ListenerPortAndProtocal {
  ListenerPort: number;
  ListenerProtocal: ListenerProtocol | string;
}
export interface AttributeBackendServer {
  ServerId?: string;
  ServerIp?: string;
  Weight?: number;
  Type?: string;
  Description?: string;
}
export interface DescribeLoadBalancerAttributeResponseBody extends SlbResponseBase, LoadBalancerSummary {
  EndTime?: string;
  EndTimeStamp?: number;
  AutoReleaseTime?: number;
  RenewalStatus?: string;
  RenewalDuration?: number;
  RenewalCycUnit?: string;
  ListenerPorts?: { ListenerPort?: number[] };
  ListenerPortsAndProtocol?: { ListenerPortAndProtocol?: ListenerPortAndProtocol[] };
  ListenerPortsAndProtocal?: { ListenerPortAndProtocal?: ListenerPortAndProtocal[] };
  BackendServers?: { BackendServer?: AttributeBackendServer[] };
}

// ---------------------------------------------------------------------------------------------
// DescribeLoadBalancerListeners

export interface DescribeLoadBalancerListenersRequest extends SlbCommonRequest {
  /** Up to 10; sent as `LoadBalancerId.1`, `LoadBalancerId.2`, … (a single string is accepted). */
  LoadBalancerId?: string[] | string;
  ListenerProtocol?: ListenerProtocol;
  ListenerPort?: number;
  Description?: string;
  MaxResults?: number;
  NextToken?: string;
  Tag?: TagFilter[];
}
export interface HealthCheckConfigCommon {
  HealthCheck?: OnOff | string;
  HealthCheckType?: string;
  HealthCheckConnectPort?: number;
  HealthCheckConnectTimeout?: number;
  HealthCheckInterval?: number;
  HealthyThreshold?: number;
  UnhealthyThreshold?: number;
  HealthCheckDomain?: string;
  HealthCheckURI?: string;
  HealthCheckHttpCode?: string;
  HealthCheckMethod?: string;
}
export interface TCPListenerConfig extends HealthCheckConfigCommon {
  EstablishedTimeout?: number;
  PersistenceTimeout?: number;
  ConnectionDrain?: OnOff | string;
  ConnectionDrainTimeout?: number;
  MasterSlaveServerGroupId?: string;
  /** "true"/"false" here (string), boolean elsewhere: read with {@link toBool}. */
  ProxyProtocolV2Enabled?: string | boolean;
}
export interface UDPListenerConfig extends TCPListenerConfig {
  HealthCheckReq?: string;
  HealthCheckExp?: string;
}
export interface HTTPListenerConfig extends HealthCheckConfigCommon {
  HealthCheckHttpVersion?: string;
  HealthCheckTimeout?: number;
  StickySession?: OnOff | string;
  StickySessionType?: string;
  Cookie?: string;
  CookieTimeout?: number;
  Gzip?: OnOff | string;
  IdleTimeout?: number;
  RequestTimeout?: number;
  ListenerForward?: OnOff | string;
  ForwardPort?: number;
  XForwardedFor?: OnOff | string;
  XForwardedFor_SLBIP?: OnOff | string;
  XForwardedFor_SLBID?: OnOff | string;
  XForwardedFor_proto?: OnOff | string;
  XForwardedFor_SLBPORT?: OnOff | string;
  XForwardedFor_ClientSrcPort?: OnOff | string;
}
export interface HTTPSListenerConfig extends HTTPListenerConfig {
  ServerCertificateId?: string;
  CACertificateId?: string;
  EnableHttp2?: OnOff | string;
  TLSCipherPolicy?: string;
  [clientCertFlag: `XForwardedFor_ClientCert${string}`]: string | undefined;
}
export interface ListenerSummary {
  LoadBalancerId: string;
  ListenerPort: number;
  ListenerProtocol: ListenerProtocol | string;
  Status?: ListenerStatus | string;
  Description?: string;
  BackendServerPort?: number;
  Bandwidth?: number;
  Scheduler?: string;
  VServerGroupId?: string;
  AclStatus?: string;
  AclType?: string;
  AclId?: string;
  AclIds?: string[];
  Tags?: ResourceTag[];
  TCPListenerConfig?: TCPListenerConfig;
  UDPListenerConfig?: UDPListenerConfig;
  HTTPListenerConfig?: HTTPListenerConfig;
  HTTPSListenerConfig?: HTTPSListenerConfig;
}
export interface DescribeLoadBalancerListenersResponseBody extends SlbResponseBase {
  TotalCount?: number;
  MaxResults?: number;
  NextToken?: string;
  /** A bare array; absent when there are none (the client normalises it to []). */
  Listeners?: ListenerSummary[];
}

// ---------------------------------------------------------------------------------------------
// Describe*ListenerAttribute

export interface DescribeListenerAttributeRequest extends SlbCommonRequest {
  LoadBalancerId: string;
  ListenerPort: number;
}
export type DescribeLoadBalancerTCPListenerAttributeRequest = DescribeListenerAttributeRequest;
export type DescribeLoadBalancerUDPListenerAttributeRequest = DescribeListenerAttributeRequest;
export type DescribeLoadBalancerHTTPListenerAttributeRequest = DescribeListenerAttributeRequest;
export type DescribeLoadBalancerHTTPSListenerAttributeRequest = DescribeListenerAttributeRequest;

export interface ListenerAttributeBase extends SlbResponseBase {
  LoadBalancerId: string;
  ListenerPort: number;
  BackendServerPort?: number;
  Status?: ListenerStatus | string;
  Bandwidth?: number;
  Scheduler?: string;
  Description?: string;
  VServerGroupId?: string;
  MasterSlaveServerGroupId?: string;
  AclStatus?: string;
  AclType?: string;
  AclId?: string;
  AclIds?: { AclId?: string[] };
  Tags?: { Tag?: ResourceTag[] };
}
export interface DescribeLoadBalancerTCPListenerAttributeResponseBody
  extends ListenerAttributeBase, Omit<TCPListenerConfig, 'ProxyProtocolV2Enabled'> {
  SynProxy?: 'enable' | 'disable' | string;
  ProxyProtocolV2Enabled?: boolean | string;
}
export interface DescribeLoadBalancerUDPListenerAttributeResponseBody
  extends ListenerAttributeBase, Omit<UDPListenerConfig, 'ProxyProtocolV2Enabled'> {
  ProxyProtocolV2Enabled?: boolean | string;
}
export interface DescribeLoadBalancerHTTPListenerAttributeResponseBody
  extends ListenerAttributeBase, HTTPListenerConfig {
  Rules?: { Rule?: Array<Record<string, unknown>> };
}
export interface DescribeLoadBalancerHTTPSListenerAttributeResponseBody
  extends ListenerAttributeBase, Omit<HTTPSListenerConfig, `XForwardedFor_ClientCert${string}`> {
  Rules?: { Rule?: Array<Record<string, unknown>> };
  DomainExtensions?: { DomainExtension?: Array<Record<string, unknown>> };
  [extra: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Create*Listener

interface CreateListenerCommon extends SlbCommonRequest {
  LoadBalancerId: string;
  ListenerPort: number;
  /** Required unless VServerGroupId is given. */
  BackendServerPort?: number;
  Description?: string;
  VServerGroupId?: string;
  AclStatus?: OnOff;
  AclType?: 'white' | 'black';
  AclId?: string;
  HealthyThreshold?: number;
  UnhealthyThreshold?: number;
  HealthCheckConnectPort?: number;
  Tag?: TagFilter[];
}
export interface CreateLoadBalancerTCPListenerRequest extends CreateListenerCommon {
  Bandwidth: number;
  Scheduler?: 'wrr' | 'rr' | 'sch' | 'tch';
  PersistenceTimeout?: number;
  EstablishedTimeout?: number;
  HealthCheckSwitch?: OnOff;
  HealthCheckType?: 'tcp' | 'http';
  HealthCheckConnectTimeout?: number;
  /** Sent as `healthCheckInterval` (lower-case h) like the SDK. */
  HealthCheckInterval?: number;
  /** @deprecated spelling of the wire; prefer HealthCheckInterval. */
  healthCheckInterval?: number;
  HealthCheckDomain?: string;
  HealthCheckURI?: string;
  HealthCheckHttpCode?: string;
  MasterSlaveServerGroupId?: string;
  ConnectionDrain?: OnOff;
  ConnectionDrainTimeout?: number;
  ProxyProtocolV2Enabled?: boolean;
}
export interface CreateLoadBalancerUDPListenerRequest extends CreateListenerCommon {
  Bandwidth: number;
  Scheduler?: 'wrr' | 'rr' | 'sch' | 'tch' | 'qch';
  PersistenceTimeout?: number;
  HealthCheckSwitch?: OnOff;
  HealthCheckConnectTimeout?: number;
  /** Sent as `healthCheckInterval`. */
  HealthCheckInterval?: number;
  /** Sent as `healthCheckReq`. */
  HealthCheckReq?: string;
  /** Sent as `healthCheckExp`. */
  HealthCheckExp?: string;
  healthCheckInterval?: number;
  healthCheckReq?: string;
  healthCheckExp?: string;
  MasterSlaveServerGroupId?: string;
  ConnectionDrain?: OnOff;
  ConnectionDrainTimeout?: number;
  ProxyProtocolV2Enabled?: boolean;
}
export interface CreateLoadBalancerHTTPListenerRequest extends CreateListenerCommon {
  HealthCheck: OnOff;
  /** Always sent (required in older API versions); the client defaults it to 'off'. */
  StickySession?: OnOff;
  Bandwidth?: number;
  Scheduler?: 'wrr' | 'rr';
  StickySessionType?: 'insert' | 'server';
  CookieTimeout?: number;
  Cookie?: string;
  HealthCheckDomain?: string;
  HealthCheckURI?: string;
  HealthCheckHttpCode?: string;
  HealthCheckInterval?: number;
  HealthCheckTimeout?: number;
  HealthCheckMethod?: 'head' | 'get';
  XForwardedFor?: OnOff;
  XForwardedFor_SLBIP?: OnOff;
  XForwardedFor_SLBID?: OnOff;
  XForwardedFor_proto?: OnOff;
  XForwardedFor_SLBPORT?: OnOff;
  XForwardedFor_ClientSrcPort?: OnOff;
  Gzip?: OnOff;
  IdleTimeout?: number;
  RequestTimeout?: number;
  ListenerForward?: OnOff;
  ForwardPort?: number;
}
export interface CreateLoadBalancerHTTPSListenerRequest
  extends Omit<CreateLoadBalancerHTTPListenerRequest, 'ListenerForward' | 'ForwardPort'> {
  ServerCertificateId: string;
  CACertificateId?: string;
  EnableHttp2?: OnOff;
  TLSCipherPolicy?: string;
}
export type CreateLoadBalancerTCPListenerResponseBody = SlbResponseBase;
export type CreateLoadBalancerUDPListenerResponseBody = SlbResponseBase;
export type CreateLoadBalancerHTTPListenerResponseBody = SlbResponseBase;
export type CreateLoadBalancerHTTPSListenerResponseBody = SlbResponseBase;

// ---------------------------------------------------------------------------------------------
// Start / Stop / Delete listener

export interface ListenerOperationRequest extends SlbCommonRequest {
  LoadBalancerId: string;
  ListenerPort: number;
  /** Needed only when several protocols share the port. */
  ListenerProtocol?: ListenerProtocol;
}
export type StartLoadBalancerListenerRequest = ListenerOperationRequest;
export type StopLoadBalancerListenerRequest = ListenerOperationRequest;
export type DeleteLoadBalancerListenerRequest = ListenerOperationRequest;
export type StartLoadBalancerListenerResponseBody = SlbResponseBase;
export type StopLoadBalancerListenerResponseBody = SlbResponseBase;
export type DeleteLoadBalancerListenerResponseBody = SlbResponseBase;

// ---------------------------------------------------------------------------------------------
// DescribeHealthStatus

export interface DescribeHealthStatusRequest extends SlbCommonRequest {
  LoadBalancerId: string;
  ListenerPort?: number;
  ListenerProtocol?: ListenerProtocol;
}
export interface HealthStatusBackendServer {
  ServerId?: string;
  ServerIp?: string;
  Port?: number;
  ListenerPort?: number;
  Protocol?: string;
  ServerHealthStatus?: 'normal' | 'abnormal' | 'unavailable' | string;
}
export interface DescribeHealthStatusResponseBody extends SlbResponseBase {
  BackendServers: { BackendServer: HealthStatusBackendServer[] };
}

// ---------------------------------------------------------------------------------------------
// DescribeServerCertificates

export interface DescribeServerCertificatesRequest extends SlbCommonRequest {
  ServerCertificateId?: string;
  ResourceGroupId?: string;
  Tag?: TagFilter[];
}
export interface ServerCertificate {
  ServerCertificateId: string;
  ServerCertificateName?: string;
  Fingerprint?: string;
  CommonName?: string;
  SubjectAlternativeNames?: { SubjectAlternativeName?: string[] };
  CreateTime?: string;
  CreateTimeStamp?: number;
  ExpireTime?: string;
  ExpireTimeStamp?: number;
  IsAliCloudCertificate?: number;
  AliCloudCertificateId?: string;
  AliCloudCertificateName?: string;
  RegionId?: string;
  ResourceGroupId?: string;
  Tags?: { Tag?: ResourceTag[] };
}
export interface DescribeServerCertificatesResponseBody extends SlbResponseBase {
  ServerCertificates: { ServerCertificate: ServerCertificate[] };
}

// ---------------------------------------------------------------------------------------------
// Tolerant readers

/** Normalised listener port/protocol list of an attribute response (correct field, else the misspelt one). */
export function listenerPortsAndProtocols(
  attr: Pick<DescribeLoadBalancerAttributeResponseBody, 'ListenerPortsAndProtocol' | 'ListenerPortsAndProtocal' | 'ListenerPorts'>,
): ListenerPortAndProtocol[] {
  const good = attr.ListenerPortsAndProtocol?.ListenerPortAndProtocol;
  if (Array.isArray(good) && good.length > 0) return good;
  const legacy = attr.ListenerPortsAndProtocal?.ListenerPortAndProtocal;
  if (Array.isArray(legacy) && legacy.length > 0) {
    return legacy.map((l) => ({ ListenerPort: Number(l.ListenerPort), ListenerProtocol: l.ListenerProtocal }));
  }
  return Array.isArray(good) ? good : [];
}

/** `true`, `"true"`, `"on"` → true; `false`, `"false"`, `"off"` → false; anything else → undefined. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === 'on') return true;
    if (s === 'false' || s === 'off') return false;
  }
  return undefined;
}

/** One item of DescribeVServerGroups.VServerGroups.VServerGroup. */
export interface VServerGroupSummary {
  VServerGroupId: string;
  VServerGroupName: string;
  ServerCount?: number;
  AssociatedObjects?: { Listeners?: { Listener?: Array<{ Port: number; Protocol: string }> } };
}

/** A backend of a vServer group (DescribeVServerGroupAttribute). */
export interface VServerGroupBackend {
  ServerId: string;
  Port: number;
  Weight?: number;
  Type?: string;
  Description?: string;
}
