// Late starts, read from the send-lag histograms [D-OVERLOAD]: of the requests sent on a schedule in
// the measured window, how many left more than `lateStartMs` after their due time. Setup operations
// (connect, register, login...) are left out: they happen in the ramp-up, whose pace is the plan's,
// and the verdict is about the measured time.
import { bucketsOf } from '../../reports/schema/histogram.js';
import { SETUP_OPS, type LatencyOp } from '../../reports/schema/metric-names.js';
import type { EncodedOp } from '../../reports/schema/load-result.js';

export function lateSends(ops: Readonly<Record<string, EncodedOp>>, lateStartMs: number): { scheduled: number; late: number } {
  let scheduled = 0;
  let late = 0;
  for (const [op, record] of Object.entries(ops)) {
    if (SETUP_OPS.has(op as LatencyOp) || record.lag === undefined) continue;
    // To the histogram's precision: a bucket counts as late when its highest value is.
    const { values, counts } = bucketsOf(record.lag);
    for (let i = 0; i < values.length; i++) {
      scheduled += counts[i]!;
      if (values[i]! > lateStartMs * 1000) late += counts[i]!;
    }
  }
  return { scheduled, late };
}
