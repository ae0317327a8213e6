// Shared helpers of the provisioning tests.
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { SlbClient } from '../../server/src/engine/cloud/slbClient';
import { provisionTargets, TargetSelection } from '../../server/src/engine/provision';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';

export const REDIS_ID = 'lb-bp1rtfnodmywb43ecu4sf'; // slb_redis_app: tcp 6379 running, http 8080 stopped
export const LOCKED_ID = 'lb-bp1l0ckedq2w3e4r5t6yu'; // slb_overdue_locked
export const CERT_ID = '1231579085529123_16a8f3b2c41_1714763408_709691807';
export const SECRET = DEFAULT_ACCESS_KEY_SECRET;
export const KEY_ID = DEFAULT_ACCESS_KEY_ID;

export function clientFor(sb: SandboxHandle, region = 'cn-hangzhou'): SlbClient {
  return new SlbClient({
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    regionId: region,
    endpoint: sb.url,
    connectTimeoutMs: 2000,
    readTimeoutMs: 5000,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });
}

export function targetsOf(text: string, selection: TargetSelection = {}, env?: Map<string, string>) {
  const analysis = new ComposeAnalyzer().analyze(text, { env });
  return provisionTargets(analysis, text, selection);
}

/** Four new listeners on slb_redis_app (TCP, UDP, HTTP, HTTPS) plus the seeded TCP 6379. */
export const FOUR_PROTOCOLS = `services:
  redis:
    image: redis:7
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
  app:
    image: example/app
    ports:
      - "7001:7000"
      - "5353:53/udp"
      - "8088:80"
      - "8443:443"
    labels:
      aliyun.lb.port_7000: tcp://slb_redis_app:7000
      aliyun.lb.port_53: udp://slb_redis_app:53
      aliyun.lb.port_80: http://slb_redis_app:80
      aliyun.lb.port_443: https://slb_redis_app:443
`;

/** Requests of a given action prefix in the sandbox log since index `from`. */
export function requestsSince(sb: SandboxHandle, from: number, prefix: string): string[] {
  return sb.state().requests.slice(from).map((r) => r.action).filter((a) => a.startsWith(prefix));
}
