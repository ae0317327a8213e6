// Ports for network tests.
import * as net from 'node:net';

/** A local port nobody listens on (bound, noted, closed): connecting to it is refused. */
export async function refusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
