// What a conformance check is [D-CONFORM] [D-LEVELS]: a stable id, the level of the requirement it
// checks, the requirement ids of docs/PROTOCOL.md and the requirement's sentence, a one-line
// description, which outcomes the protocol allows, and the code that runs it. The catalogue
// (`talkbench conform --list`, docs/CONFORMANCE.md) and the runner read these and nothing else.
import type { CheckContext } from '../harness/context.js';

export type Level = 'MUST' | 'SHOULD' | 'INFO';
export const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'INFO'];

export type Outcome = 'PASS' | 'FAIL' | 'TIMEOUT' | 'ERROR' | 'SKIP' | 'XFAIL';
export const OUTCOMES: readonly Outcome[] = ['PASS', 'FAIL', 'TIMEOUT', 'ERROR', 'SKIP', 'XFAIL'];

export type CheckProtocol = 'im' | 'chat';

export interface CheckDefinition {
  /** `im.frame.split-anywhere`: protocol, area, name; never reused for another meaning. */
  id: string;
  level: Level;
  /** The requirement ids of docs/PROTOCOL.md it covers (`IM-FRAME-3`). */
  requirements: readonly string[];
  /** The requirement, in the document's words, shortened. */
  requirement: string;
  /** What the check does, in one line. */
  description: string;
  /** What the protocol allows the server to do, where more than one answer is legal. */
  allows?: string;
  /** It sends malformed input: the runner probes the target's liveness after it. */
  malformed?: boolean;
  /**
   * A reply whose absence is a known trait of some servers (`--unanswered heartbeat`): the check
   * is SKIP with that reason when the user says the target does not send it.
   */
  needsReply?: UnansweredReply;
  /** Upper bound of the check's running time; the runner stops it there (ERROR). Default 30 s. */
  budgetMs?: number;
  run(ctx: CheckContext): Promise<void>;
}

/** Replies a target may be known not to send (`--unanswered`), by the request they answer. */
export const UNANSWERED_REPLIES = ['heartbeat', 'userinfo'] as const;
export type UnansweredReply = (typeof UNANSWERED_REPLIES)[number];

export const protocolOf = (check: Pick<CheckDefinition, 'id'>): CheckProtocol => (check.id.startsWith('chat.') ? 'chat' : 'im');
