// What the VS Code client and the language server say to each other beyond plain LSP: custom
// request/notification names and their shapes, and the executeCommand names. One definition
// imported by both sides (as vscode-eslint's `$shared`), so they cannot drift apart.

/** Custom requests and notifications (all under `aliyunSlbLabels/`). */
export const CLOUD_METHODS = {
  /** client -> server notification: AccessKey from SecretStorage ({@link AccessKeyParams}), or null to clear. Never logged. */
  credentials: 'aliyunSlbLabels/credentials',
  /** client -> server request: the account's regions, `{ regions: {id, name}[] }`. */
  regions: 'aliyunSlbLabels/regions',
  /** client -> server request: refresh the SLB catalog now; returns {@link CloudStatus}. */
  refreshCatalog: 'aliyunSlbLabels/refreshCatalog',
  /** both ways: the server notifies status changes; the client may also request the current one. */
  cloudStatus: 'aliyunSlbLabels/cloudStatus',
  /** client -> server request `{ uri }`: {@link LabelStatesResult}, for the CodeLens (cached catalog, no I/O). */
  labelStates: 'aliyunSlbLabels/labelStates',
  /** server -> client notification `{ uri? }`: label states may have changed (catalog refreshed, document re-checked). */
  labelStatesChanged: 'aliyunSlbLabels/labelStatesChanged',
} as const;

/** What provisioning would do for one lb label: create / start the listener, nothing (up to date), or it cannot (conflict). */
export type LabelState = 'create' | 'start' | 'up-to-date' | 'conflict' | 'unknown';

export interface LabelStateItem {
  /** 0-based line of the label key. */
  line: number;
  labelKey: string;
  frontPort: number;
  state: LabelState;
  /** `TCP 6379 → 6379`, or why it is a conflict (localised). */
  detail: string;
}

export interface LabelStatesResult {
  uri: string;
  /** false: no catalog (no credentials, offline, untrusted); every state is then 'unknown'. */
  known: boolean;
  items: LabelStateItem[];
}

/** The AccessKey as the client stores it in SecretStorage and sends it to the server. */
export interface AccessKeyParams {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** The cloud layer's state, shown in the status bar. Never carries a secret. */
export interface CloudStatus {
  /** off: disabled/untrusted; no-credentials; no-region; idle; loading; ready; error. */
  state: 'off' | 'no-credentials' | 'no-region' | 'idle' | 'loading' | 'ready' | 'error';
  enabled: boolean;
  trusted: boolean;
  region?: string;
  /** explicit | env | aliyun-cli | credentials-file */
  source?: string;
  profile?: string;
  /** One safe line: where the credentials come from (masked key id), region. */
  sourceDescription?: string;
  endpoint?: string;
  count?: number;
  fetchedAt?: number;
  /** A message a person can act on (never a secret). */
  message?: string;
  refreshing?: boolean;
}

/** `workspace/executeCommand` names the server answers (the client calls them, never registers them). */
export const SERVER_COMMANDS = {
  /** Reachability walk: args [{uri, position?} | {uri, all: true}] (see server/src/lsp/reachCommands.ts). */
  checkReachability: 'aliyunSlbLabels.checkReachability',
  /** Provisioning plan: args [{uri, labelKeys?, position?} | {uri, all: true}] (see server/src/lsp/provisionCommands.ts). */
  plan: 'aliyunSlbLabels.plan',
  /** Provision listeners: args [{uri, position? | all: true | labelKeys?, certificateId?, confirmed?}]. */
  provision: 'aliyunSlbLabels.provision',
  /** Compose service(s) with lb labels -> ACK manifests in new files: args [{uri, service?}] (see server/src/lsp/migrateCommand.ts). */
  migrateToKubernetes: 'aliyunSlbLabels.migrateToKubernetes',
} as const;
