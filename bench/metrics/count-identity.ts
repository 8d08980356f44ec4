// The identities every result keeps [D-METRICS]; a result that breaks one is a bug of talkbench, not
// a fact about the server. Checked on every result the integration tests produce.
import { DELIVERY_CARRIERS, type DeliveryOp } from '../../reports/schema/metric-names.js';
import type { RecorderSnapshot } from './recorder.js';

/** The latency ops that carry deliveries: accounted by their delivery op, not as requests. */
const CARRIERS: ReadonlySet<string> = new Set(Object.values(DELIVERY_CARRIERS).flat());

/**
 * What does not add up, in words (empty when everything does):
 * - a request with a reply of its own: sent = ok + failed + timeouts + unanswered;
 * - a request with none (status) or declared unanswered: ok = failed = timeouts = unanswered = 0;
 * - a delivery: the sent of its ops = delivered + lost + corrupted, and their ok = delivered.
 */
export function countProblems(m: Pick<RecorderSnapshot, 'ops' | 'delivery'>, sentOnly: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [name, op] of Object.entries(m.ops)) {
    if (CARRIERS.has(name)) continue;
    if (name === 'status' || sentOnly.includes(name)) {
      if (op.ok + op.failed + op.timeouts + op.unanswered !== 0) problems.push(`${name} has no reply, yet ok ${op.ok}, failed ${op.failed}, timeouts ${op.timeouts}, unanswered ${op.unanswered}`);
      continue;
    }
    const outcomes = op.ok + op.failed + op.timeouts + op.unanswered;
    if (op.sent !== outcomes) problems.push(`${name}: sent ${op.sent} != ok ${op.ok} + failed ${op.failed} + timeouts ${op.timeouts} + unanswered ${op.unanswered}`);
  }
  for (const [delivery, carriers] of Object.entries(DELIVERY_CARRIERS) as [DeliveryOp, readonly string[]][]) {
    const d = m.delivery[delivery];
    const sent = carriers.reduce((n, c) => n + (m.ops[c]?.sent ?? 0), 0);
    const ok = carriers.reduce((n, c) => n + (m.ops[c]?.ok ?? 0), 0);
    if (!d) { if (sent > 0) problems.push(`${delivery}: ${sent} sent but no delivery accounting`); continue; }
    if (sent !== d.delivered + d.lost + d.corrupted) problems.push(`${delivery}: sent ${sent} != delivered ${d.delivered} + lost ${d.lost} + corrupted ${d.corrupted}`);
    if (ok !== d.delivered) problems.push(`${delivery}: ok ${ok} != delivered ${d.delivered}`);
  }
  return problems;
}
