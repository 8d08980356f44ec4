// Before anything is scheduled: can each target be reached at all? A refusal here is exit 3 with a
// message a person can act on, not a run full of connect errors.
import { connect } from 'node:net';
import type { Endpoint } from '../worker/task.js';

export async function unreachableTargets(targets: readonly Endpoint[], timeoutMs: number): Promise<string[]> {
  const problems = await Promise.all(targets.map((target) => new Promise<string | null>((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => { socket.destroy(); resolve(`target ${target.host}:${target.port} did not accept a connection within ${timeoutMs} ms`); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve(null); });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code === 'ECONNREFUSED'
        ? `target ${target.host}:${target.port} refused the connection: is the server running?`
        : `target ${target.host}:${target.port}: ${err.code ?? err.message}`);
    });
  })));
  return problems.filter((p): p is string => p !== null);
}
