// Provisioning: the plan (one line per lb binding) and the outcome of applying it.
// Plain JSON-able data: the LSP command returns these objects as they are, the CLI prints them.
import type { Span } from '../compose/model';

/** What a plan line will do. */
export type PlanAction = 'create' | 'unchanged' | 'start' | 'conflict' | 'blocked';

/** Why a line is blocked (stable codes; the sentence is in `reason`). */
export type BlockedCode =
  | 'LABEL_INVALID' // the label has errors (scheme, SLB name, front port, …)
  | 'LABEL_UNRESOLVED' // a ${VARIABLE} without a value
  | 'NO_BACKEND_PORT' // the container port is not published on a fixed host port
  | 'SLB_NOT_FOUND'
  | 'SLB_AMBIGUOUS' // the name matches several SLBs
  | 'SLB_LOCKED' // overdue/expired: listeners cannot be changed
  | 'LISTENER_BUSY' // the listener is starting/stopping/configuring
  | 'LOOKUP_FAILED' // the live state could not be read (network, permission, …)
  | 'CERTIFICATE_REQUIRED' // https: no server certificate chosen
  // Kubernetes Service ports (engine/k8s/ccmApply.ts)
  | 'NO_BACKENDS' // a new vServer group and no --backend given
  | 'NODE_PORT_UNKNOWN' // spec.ports[].nodePort not in the manifest
  | 'CLUSTER_ID_MISSING' // the CCM's names need the cluster ID
  | 'ENI_BACKENDS' // backend-type eni: pods are the backends
  | 'CLB_NOT_REUSABLE'; // created by a cluster

export type ListenerProtocol = 'tcp' | 'udp' | 'http' | 'https';

/** What is on the front port now (conflict / unchanged / start lines). */
export interface ExistingListener {
  protocol: string;
  port: number;
  backendPort?: number;
  status?: string;
  vServerGroupId?: string;
  serverCertificateId?: string;
  description?: string;
}

/** The listener a `create` line would create (the settings shown in the plan). */
export interface ListenerSpec {
  protocol: ListenerProtocol;
  frontPort: number;
  backendPort: number;
  /** -1 = not limited (pay-by-traffic; the only value for HTTP/HTTPS). */
  bandwidth: number;
  scheduler: string;
  healthCheck: {
    enabled: true;
    /** tcp: TCP connect; http: HTTP request; udp: UDP probe. */
    type: 'tcp' | 'http' | 'udp';
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
    /** HTTP/HTTPS: the path checked (omitted on the wire: the API's default path "/"), method, accepted codes. */
    uri?: string;
    method?: string;
    httpCodes?: string;
  };
  /** HTTP/HTTPS */
  stickySession?: 'off';
  /** HTTPS: the server certificate (set when applying). */
  serverCertificateId?: string;
  description: string;
}

export interface PlanLine {
  /** Stable within a file: `service|labelKey|scheme://slb:frontPort`. */
  id: string;
  /** The label key, e.g. `aliyun.lb.port_6379`. */
  label: string;
  service: string;
  /** The SLB as written in the label (name or ID); '' when the label has none. */
  slb: string;
  /** Resolved SLB (when found). */
  slbId?: string;
  slbName?: string;
  slbAddress?: string;
  slbAddressType?: string;
  regionId?: string;
  frontPort?: number;
  /** The label's scheme. */
  protocol?: string;
  /** The host port the service publishes for the container port (the listener's backend port). */
  backendPort?: number;
  containerPort?: number;
  action: PlanAction;
  /** One sentence a person can act on (localised; never a secret). */
  reason: string;
  blockedCode?: BlockedCode;
  /** create: the listener to create. */
  listener?: ListenerSpec;
  /** unchanged / start / conflict: what is on the front port now. */
  existing?: ExistingListener;
  /** https create: a server certificate must be chosen before applying. */
  needsCertificate?: boolean;
  /** The label in the file (absolute offsets): key span, and the whole binding text when known. */
  keySpan?: Span;
  bindingSpan?: Span;
  /** Kubernetes Service ports (engine/k8s/ccmApply.ts): what the CCM's way needs on the CLB. */
  ccm?: CcmLineDetail;
}

/** A Service port's share of the CLB as the CCM sets it up: one vServer group, one listener. */
export interface CcmLineDetail {
  namespace: string;
  serviceName: string;
  /** `k8s/<NodePort>/<svc>/<ns>/<clusterId>` */
  groupName: string;
  /** The group, when it exists. */
  groupId?: string;
  /** ECS backends the group gets (serverId, port), and those it lacks now. */
  backends: Array<{ serverId: string; port: number }>;
  missingBackends: Array<{ serverId: string; port: number }>;
  /** `k8s/<port>/<svc>/<ns>/<clusterId>` */
  listenerDescription: string;
  /** create: a new listener; take-over: rewrite an existing one (override); keep: already this Service's; not-managed: no override, listeners are left alone. */
  listenerAction: 'create' | 'take-over' | 'keep' | 'not-managed';
  forceOverride: boolean;
  scheduler: string;
  /** cert-id (https). */
  certificateId?: string;
  /** health-check-flag / health-check-switch as the annotation says ('on'/'off'); undefined = the API default. */
  healthCheck?: 'on' | 'off';
}

export interface CertificateInfo {
  id: string;
  name?: string;
  commonName?: string;
  subjectAlternativeNames?: string[];
  expireTime?: string;
  expireTimeStamp?: number;
  regionId?: string;
}

export interface Plan {
  region: string;
  /** When the live state was read (ms since epoch). */
  readAt: number;
  lines: PlanLine[];
  /** Server certificates of the region, when some line needs one (DescribeServerCertificates). */
  certificates?: CertificateInfo[];
  /** Why the certificate list is missing (a failed DescribeServerCertificates). */
  certificatesError?: string;
  /** Counts per action. */
  summary: Record<PlanAction, number>;
}

// -- applying ----------------------------------------------------------------------------------

export type StepKind = 'create' | 'start' | 'verify' | 'vserver-group' | 'backends' | 'take-over';
export type StepStatus = 'started' | 'ok' | 'failed' | 'skipped';

/** One API step of a line (also sent as an event while it runs). */
export interface StepResult {
  step: StepKind;
  /** The SLB action called, e.g. CreateLoadBalancerTCPListener. */
  apiAction?: string;
  status: Exclude<StepStatus, 'started'>;
  message: string;
  error?: { code: string; kind?: string; message: string; requestId?: string };
}

/** The final state of a line after applying. */
export type LineOutcome =
  | 'created' // created and started
  | 'started' // existed stopped, now running
  | 'unchanged' // nothing to do
  | 'conflict' // nothing changed: the front port is taken
  | 'blocked' // nothing changed: see blockedCode/reason
  | 'failed' // a step failed: see steps/created/started
  | 'cancelled'; // not attempted (cancelled before its turn)

export interface LineResult {
  id: string;
  label: string;
  service: string;
  slb: string;
  slbId?: string;
  frontPort?: number;
  protocol?: string;
  backendPort?: number;
  /** What the plan said (re-checked against the live state just before acting). */
  action: PlanAction;
  outcome: LineOutcome;
  /** The listener exists now because of this run. */
  created: boolean;
  /** The listener was started by this run. */
  started: boolean;
  /** true when the listener exists with the label's protocol/backend port and runs. */
  ok: boolean;
  message: string;
  blockedCode?: BlockedCode;
  steps: StepResult[];
}

export interface ApplyResult {
  /** Every line ended created/started/unchanged. */
  ok: boolean;
  lines: LineResult[];
  /** Counts per outcome. */
  summary: Record<LineOutcome, number>;
}

/** Structured progress events (output channel lines, CLI lines, LSP progress). */
export type ProvisionEvent =
  | { type: 'wait'; slbId: string; message: string }
  | { type: 'line'; lineId: string; label: string; service: string; slbId?: string; frontPort?: number; protocol?: string; action: PlanAction; message: string }
  | { type: 'step'; lineId: string; label: string; service: string; slbId?: string; frontPort?: number; protocol?: string; step: StepKind; apiAction?: string; status: StepStatus; message: string; error?: StepResult['error'] }
  | { type: 'done'; lineId: string; label: string; service: string; outcome: LineOutcome; ok: boolean; message: string };
