// What both user scenarios do to send one accounted message: pick a friend who is ready, and number
// the message for the delivery ledger when it belongs to the measured window.
import type { DeliveryLedger } from './delivery-ledger.js';
import type { UserSpec } from '../model/population.js';
import type { Random } from '../../util/random.js';
import type { LatencyOp } from '../../reports/schema/metric-names.js';
import type { ScenarioContext } from './scenario-context.js';

export interface SimulatedUser {
  readonly spec: UserSpec;
  readonly random: Random;
  phase: string;
}

/** A random friend of `u` who is ready to receive (or, given `eligible`, who else may be sent to), or null. */
export function pickFriend<U extends SimulatedUser>(u: U, byIndex: ReadonlyMap<number, U>, eligible: (f: U) => boolean = (f) => f.phase === 'ready'): U | null {
  const ready = u.spec.friends.map((i) => byIndex.get(i)!).filter(eligible);
  return ready.length === 0 ? null : ready[u.random.below(ready.length)]!;
}

/**
 * The sequence number of a message due at `due` from `from` to `to`, counted as sent under `op`. Outside
 * the measured window the message still goes out (the load is the same) but carries seq 0, which its
 * receiver does not account.
 */
export function accountedSeq(ctx: ScenarioContext, ledger: DeliveryLedger, op: LatencyOp, from: number, to: number, due: number, sentMs: number): number {
  if (!ctx.inWindow(due)) return 0;
  ctx.recorder.sent(op, sentMs - due);
  return ledger.nextSeq(from, to);
}
