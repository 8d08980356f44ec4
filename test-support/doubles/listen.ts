// Every double listens the same way: on 127.0.0.1, a free port, failing loudly if it cannot.
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';

/** Listens on 127.0.0.1 port 0 and resolves with the port; `what` names the double in an error. */
export async function listenOnLoopback(server: Server | HttpServer, what: string): Promise<number> {
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${what} has no TCP address`);
  return address.port;
}
