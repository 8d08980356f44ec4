// The "<name> listening on <host>:<port>" lines `talkbench serve` prints on stdout, one per listener,
// and the one parser of them. Scripts, benchmarks and tests start the server with port 0 and read the
// ports it picked from these lines, so the printing and the parsing live side by side here.
import type { Endpoint } from '../client/target.js';
import type { FrameLayout } from '../proto/index.js';

export type ListenerName = 'im' | 'chat' | 'http';

/** What a listening line says, and what it is printed from. */
export type Listener =
  | { name: 'im'; at: Endpoint; layout: FrameLayout; maxBodyBytes: number }
  | { name: 'chat'; at: Endpoint }
  | { name: 'http'; at: Endpoint };

export interface Listening {
  name: ListenerName;
  host: string;
  port: number;
}

export function formatListening(listener: Listener): string {
  const { host, port } = listener.at;
  switch (listener.name) {
    case 'im':
      return `im listening on ${host}:${port} (frames: ${listener.layout}, max body ${listener.maxBodyBytes} bytes)`;
    case 'chat':
      return `chat listening on ${host}:${port} (CHAT/1.0; try: nc ${host} ${port}, then type CHAT/1.0 LOGIN alice)`;
    case 'http':
      return `http listening on http://${host}:${port}/res/`;
  }
}

// The host is everything up to the last `:digits` (an IPv6 host is printed with its colons).
const LISTENING = /^(im|chat|http) listening on (?:http:\/\/)?(\S+):(\d+)/;

/** The listener a line of `talkbench serve`'s stdout names, or null for any other line. */
export function parseListening(line: string): Listening | null {
  const match = LISTENING.exec(line);
  if (!match) return null;
  return { name: match[1] as ListenerName, host: match[2]!, port: Number(match[3]) };
}

/** The first of `lines` that names listener `name`, or null. */
export function findListening(lines: Iterable<string>, name: ListenerName): Listening | null {
  for (const line of lines) {
    const listening = parseListening(line);
    if (listening?.name === name) return listening;
  }
  return null;
}
