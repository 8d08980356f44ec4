// What a mutant is [D-MUTANTS]: a deliberately broken server the project's own tests run checks
// against, to show that each MUST and SHOULD check can fail. Each one is the reference server with one
// bug planted (a server option the checks are not told, or a mutating proxy in front of it), and names
// the area of the catalogue it targets, so the matrix runs only those checks against it. The two
// makers here start the reference server in this process (memory store, low scrypt cost) and the
// proxy in front of it; the helpers after them read and rewrite IM bodies, and keep the friendships
// a server made from the traffic the proxy saw.
import { MessageId, ResultCode, decodeMessage, encodeMessage, type FrameLayout, type MessageIdNumber } from '../../../proto/index.js';
import { startTestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import type { TargetProfile } from '../../harness/context.js';
import {
  startChatProxy, startImProxy, tryDecode, type ChatHooks, type ChatProxy, type FrameVerdict, type ImFrame, type ImHooks, type ImProxy, type ImProxyConnection,
} from './mutating-proxy.js';

export interface RunningMutant {
  /** Where the checks connect. */
  port: number;
  /** What the checks are told about the target (its layout, limits): what the server claims, not what the bug does. */
  profile: Partial<TargetProfile>;
  close(): Promise<void>;
}

export interface Mutant {
  /** Short, stable, a column of the matrix: `im-reply-id-off-by-one`. */
  name: string;
  protocol: 'im' | 'chat';
  /** Check ids, or prefixes of them ending in a dot (`im.frame.`), that it targets: only those run against it. */
  areas: readonly string[];
  /** The bug, in one sentence, with the requirement it breaks. */
  bug: string;
  /**
   * Examples per property, when the matrix's few are not enough to reach the bug: a property over
   * command sequences starts with near-empty ones. Default: the matrix's.
   */
  runs?: number;
  start(): Promise<RunningMutant>;
}

/** Whether check `id` is in the mutant's area. */
export function inArea(mutant: Pick<Mutant, 'areas'>, id: string): boolean {
  return mutant.areas.some((area) => (area.endsWith('.') ? id.startsWith(area) : id === area));
}

/** The body limit of every IM mutant, server and checks alike: small, so the limit checks move little. */
export const MUTANT_MAX_BODY_BYTES = 256 * 1024;
/** The line limit of every CHAT/1.0 mutant, server and checks alike (the reference default). */
export const MUTANT_MAX_LINE_BYTES = 4096;
const LAYOUT: FrameLayout = 'le';

export interface ImMutantSpec {
  name: string;
  areas: readonly string[];
  bug: string;
  runs?: number;
  /** Options of the reference server (the checks are not told them). */
  server?: TestServerOptions;
  /** The hooks, given the running proxy (to reach other connections) once it runs. Each start gets fresh hooks. */
  hooks?: (proxy: () => ImProxy) => ImHooks;
  /** No proxy: the checks talk to the misconfigured server itself. */
  direct?: boolean;
  /** What the checks are told besides the layout and body limit (an idle timeout). */
  profile?: Partial<TargetProfile>;
}

export function imMutant(spec: ImMutantSpec): Mutant {
  return {
    name: spec.name,
    protocol: 'im',
    areas: spec.areas,
    bug: spec.bug,
    ...(spec.runs !== undefined ? { runs: spec.runs } : {}),
    async start(): Promise<RunningMutant> {
      const server = await startTestServer({ logLevel: 'error', maxBodyBytes: MUTANT_MAX_BODY_BYTES, layout: LAYOUT, ...spec.server });
      const profile: Partial<TargetProfile> = { layout: LAYOUT, maxBodyBytes: MUTANT_MAX_BODY_BYTES, ...spec.profile };
      if (spec.direct) return { port: server.imPort, profile, close: () => server.close() };
      let proxy: ImProxy | null = null;
      const hooks = spec.hooks?.(() => proxy!) ?? {};
      const running = await startImProxy({ target: { host: '127.0.0.1', port: server.imPort }, layout: LAYOUT, maxBodyBytes: MUTANT_MAX_BODY_BYTES, hooks });
      proxy = running;
      return { port: running.port, profile, close: async () => { await running.close(); await server.close(); } };
    },
  };
}

export interface ChatMutantSpec {
  name: string;
  areas: readonly string[];
  bug: string;
  runs?: number;
  hooks: (proxy: () => ChatProxy) => ChatHooks;
  /** Lines longer than this pass the proxy raw, unseen by the hooks (default 1 MiB). */
  maxHeldLineBytes?: number;
}

export function chatMutant(spec: ChatMutantSpec): Mutant {
  return {
    name: spec.name,
    protocol: 'chat',
    areas: spec.areas,
    bug: spec.bug,
    ...(spec.runs !== undefined ? { runs: spec.runs } : {}),
    async start(): Promise<RunningMutant> {
      const server = await startTestServer({ logLevel: 'error', maxLineBytes: MUTANT_MAX_LINE_BYTES });
      let proxy: ChatProxy | null = null;
      const hooks = spec.hooks(() => proxy!);
      const running = await startChatProxy({ target: { host: '127.0.0.1', port: server.chatPort }, hooks, ...(spec.maxHeldLineBytes ? { maxHeldLineBytes: spec.maxHeldLineBytes } : {}) });
      proxy = running;
      return { port: running.port, profile: { maxLineBytes: MUTANT_MAX_LINE_BYTES }, close: async () => { await running.close(); await server.close(); } };
    },
  };
}

/** Frame `frame` with some fields of its body changed (the others as they were). */
export function rewritten(frame: ImFrame, change: Record<string, unknown>): ImFrame {
  return { id: frame.id, body: encodeMessage(frame.id as MessageIdNumber, { ...fieldsOf(frame), ...change } as never) };
}

/** The body's fields, decoded (the frame must decode). */
export function fieldsOf(frame: ImFrame): Record<string, unknown> {
  return { ...(decodeMessage(frame.id, frame.body) as Record<string, unknown>) };
}

/** A frame of `id` with these fields. */
export function frameOf(id: MessageIdNumber, fields: Record<string, unknown>): ImFrame {
  return { id, body: encodeMessage(id, fields as never) };
}

/** A reply's Result, as decoded. */
export type ResultFields = { Code?: number; Msg?: string } | undefined;
/** A reply's Result Code; a missing one reads as 0 [IM-REPLY-3]. */
export const codeOf = (frame: ImFrame): number => ((tryDecode(frame) as { Result?: ResultFields } | null)?.Result?.Code ?? 0);
export const SUCCESS = { Code: ResultCode.Success };

/** Friendships as the server made them: from each 17 and its 18 Success [IM-FRIENDS-2]. */
export function friendships(): { watch(frame: ImFrame, conn: ImProxyConnection): FrameVerdict | null; of(user: string): string[] } {
  const friends = new Map<string, Set<string>>();
  const add = (a: string, b: string): void => { friends.set(a, (friends.get(a) ?? new Set()).add(b)); };
  return {
    watch(frame, conn) {
      const me = conn.loggedInAs;
      if (frame.id !== MessageId.AddFriendsRequest || me === null) return null;
      const list = ((tryDecode(frame) as { UserIDList?: string[] } | null)?.UserIDList ?? []);
      return {
        frames: [frame],
        onReply(reply) {
          if (codeOf(reply) === ResultCode.Success) for (const other of list) { add(me, other); add(other, me); }
          return 'forward';
        },
      };
    },
    of: (user) => [...(friends.get(user) ?? [])].sort(),
  };
}
