// What several test suites need to talk to the local SLB sandbox: the seed's well-known IDs and an
// SLB client on the sandbox's demo AccessKey with short timeouts and retries.
import { SlbClient } from '../../server/src/engine/cloud/slbClient';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';

/** slb_redis_app: internet, tcp 6379 running, http 8080 stopped. */
export const REDIS_APP_ID = 'lb-bp1rtfnodmywb43ecu4sf';
/** slb_internal_api: intranet. */
export const INTERNAL_API_ID = 'lb-bp1o94dp5i6earr9g4mlx';
/** slb_overdue_locked. */
export const LOCKED_ID = 'lb-bp1l0ckedq2w3e4r5t6yu';
/** The seed's server certificate. */
export const CERT_ID = '1231579085529123_16a8f3b2c41_1714763408_709691807';
export const SECRET = DEFAULT_ACCESS_KEY_SECRET;
export const KEY_ID = DEFAULT_ACCESS_KEY_ID;

export function sandboxClient(sb: SandboxHandle, region = 'cn-hangzhou'): SlbClient {
  return new SlbClient({
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    regionId: region,
    endpoint: sb.url,
    connectTimeoutMs: 2000,
    readTimeoutMs: 5000,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });
}
