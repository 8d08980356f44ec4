// Where a server is: an endpoint, `--target host:port[,host:port...]`, and the source addresses
// connections are spread over. The load generator, the conformance suite and the server's options
// all read targets here [docs/DECISIONS.md D-LAYOUT-REPO].

import { UsageError } from '../util/errors.js';

/** A TCP endpoint. */
export interface Endpoint {
  host: string;
  port: number;
}

export function parseTargets(value: string): Endpoint[] {
  const targets = value.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(part);
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65535) throw new UsageError(`"${part}" is not a target: use host:port (127.0.0.1:8999), several separated by commas`);
    return { host: match[1] ?? match[2]!, port };
  });
  if (targets.length === 0) throw new UsageError('--target needs at least one host:port');
  return targets;
}

const isLoopback = (host: string): boolean => /^127\.\d+\.\d+\.\d+$/.test(host) || host === 'localhost' || host === '::1';

/**
 * Connections per source address. A socket bound to a source address before connecting takes its
 * port from that address's whole ephemeral range, whatever the destination (Node cannot set
 * IP_BIND_ADDRESS_NO_PORT), and the kernel's hunt for a free port slows down sharply past about
 * 14,000 ports in use: keep each address well under that.
 */
export const CONNECTIONS_PER_SOURCE = 10_000;

/**
 * `--source-addresses N` (127.0.0.1 to 127.0.0.N) or a list. By default no binding at all (the
 * kernel picks a port per destination at connect, the fastest way) up to CONNECTIONS_PER_SOURCE
 * connections; beyond that, against loopback targets, enough 127.0.0.x addresses for
 * CONNECTIONS_PER_SOURCE each; elsewhere the system's choice ([]).
 */
export function sourceAddresses(option: string | undefined, targets: readonly Endpoint[], connections: number): string[] {
  if (option !== undefined) {
    if (/^\d+$/.test(option)) {
      const n = Number(option);
      if (n < 1 || n > 254) throw new UsageError(`--source-addresses ${option}: give 1 to 254, or a list of addresses`);
      return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
    }
    const list = option.split(',').map((a) => a.trim()).filter(Boolean);
    if (list.length === 0) throw new UsageError('--source-addresses: empty list');
    return list;
  }
  if (!targets.every((t) => isLoopback(t.host)) || connections <= CONNECTIONS_PER_SOURCE) return [];
  const n = Math.min(254, Math.ceil(connections / CONNECTIONS_PER_SOURCE));
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
}
