// Late starts read from the lag histograms [D-OVERLOAD]: the count of sends over the limit is the
// count of lags recorded over it (values kept a bucket's width from the limit, as a histogram of three
// significant digits cannot place a value closer than that), setup operations are left out, and a
// result without lag (schema version 3) counts nothing rather than zero lateness of invented sends.
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect } from 'vitest';
import { initHistograms } from '../../../reports/schema/histogram.js';
import { lateSends } from '../../metrics/late-sends.js';
import { Recorder } from '../../metrics/recorder.js';

beforeAll(async () => { await initHistograms(); });

const LIMIT_MS = 10;
// Lags in ms, none within 0.1 ms of the limit.
const arbLag = fc.oneof(fc.double({ min: 0, max: LIMIT_MS - 0.1, noNaN: true }), fc.double({ min: LIMIT_MS + 0.1, max: 5000, noNaN: true }));

describe('lateSends', () => {
  test.prop([fc.array(fc.tuple(fc.constantFrom('heartbeat' as const, 'chat.e2e' as const, 'login' as const, 'connect' as const), arbLag), { maxLength: 300 })])(
    'counts every scheduled send of the measured-time operations, and those whose lag passed the limit',
    (sends) => {
      const r = new Recorder();
      for (const [op, lag] of sends) r.sent(op, lag);
      const measuredTime = sends.filter(([op]) => op === 'heartbeat' || op === 'chat.e2e');
      expect(lateSends(r.snapshot().ops, LIMIT_MS)).toEqual({ scheduled: measuredTime.length, late: measuredTime.filter(([, lag]) => lag > LIMIT_MS).length });
      r.destroy();
    },
  );

  test('an operation without a lag histogram (an older result) counts nothing', () => {
    const r = new Recorder();
    r.sent('heartbeat', 50);
    const { lag: _, ...withoutLag } = r.snapshot().ops.heartbeat!;
    expect(lateSends({ heartbeat: withoutLag }, LIMIT_MS)).toEqual({ scheduled: 0, late: 0 });
    r.destroy();
  });
});
