// Shared helpers of the provisioning tests.
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { provisionTargets, TargetSelection } from '../../server/src/engine/provision';
import type { SandboxHandle } from '../../sandbox/src/index';
export { CERT_ID, KEY_ID, LOCKED_ID, REDIS_APP_ID as REDIS_ID, SECRET, sandboxClient as clientFor } from '../helpers/sandbox';



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
