// Flat metrics from hand-built measurements [D-METRICS]: counters, rates over the measured time or
// the setup span, latency statistics, download throughput, and `errors` / `errors.ratio` [D-VERDICT].
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { deriveMetrics, errorCount, type Measurements } from '../../metrics/derive.js';
import { encodeHistogram, initHistograms, newHistogram, recordMicros } from '../../../reports/schema/histogram.js';
import { LATENCY_OPS, LATENCY_STATS, SETUP_OPS, noDeliveries, type DeliveryCounts } from '../../../reports/schema/metric-names.js';
import type { EncodedOp } from '../../metrics/recorder.js';

let EMPTY = '';

beforeAll(async () => {
  await initHistograms();
  const h = newHistogram();
  EMPTY = encodeHistogram(h);
  h.destroy();
});

function encoded(micros: readonly number[]): string {
  if (micros.length === 0) return EMPTY;
  const h = newHistogram();
  for (const us of micros) recordMicros(h, us);
  const out = encodeHistogram(h);
  h.destroy();
  return out;
}

interface OpSpec {
  sent?: number; ok?: number; failed?: number; timeouts?: number; unanswered?: number;
  span?: { firstMs: number; lastMs: number } | null;
  corrected?: readonly number[]; uncorrected?: readonly number[];
}

function op(spec: OpSpec = {}): EncodedOp {
  return {
    sent: spec.sent ?? 0, ok: spec.ok ?? 0, failed: spec.failed ?? 0, timeouts: spec.timeouts ?? 0, unanswered: spec.unanswered ?? 0,
    failedBy: {}, failureSamples: {}, span: spec.span ?? null,
    corrected: encoded(spec.corrected ?? []), uncorrected: encoded(spec.uncorrected ?? []),
  };
}

const delivery = (counts: Partial<DeliveryCounts>): DeliveryCounts => ({ ...noDeliveries(), ...counts });

function measurements(m: Partial<Measurements>): Measurements {
  return { ops: {}, delivery: {}, disconnects: {}, unexpectedFrames: {}, badLines: {}, downloadBytes: 0, ...m };
}

describe('errorCount and errors / errors.ratio', () => {
  const sample = (): Measurements => measurements({
    ops: {
      login: op({ sent: 10, ok: 6, failed: 2, timeouts: 1, unanswered: 1 }),
      heartbeat: op({ sent: 20, ok: 18, timeouts: 2 }),
      'chat.e2e': op({ sent: 30, ok: 27, unanswered: 3 }),
      status: op({ sent: 7 }),
    },
    delivery: {
      chat: delivery({ delivered: 27, lost: 2, duplicated: 5, reordered: 4 }),
      file: delivery({ delivered: 1, corrupted: 3 }),
    },
    disconnects: { ECONNRESET: 1, 'connection lost': 2 },
    unexpectedFrames: { '99': 2, '7': 1 },
    badLines: { 'too long': 4 },
  });

  test('every kind of error counts, duplicates and reorders do not', () => {
    // ops: login 2+1+1, heartbeat 2, chat.e2e 3 = 9; deliveries: chat lost 2, file corrupted 3 = 5;
    // unexpected frames 3, bad lines 4, disconnects 3: 24. Attempts: 10 + 20 + 30 + 7 sent, and the 10
    // unasked-for events (frames, lines, disconnects) = 77, so the ratio stays a share.
    expect(errorCount(sample())).toEqual({ errors: 24, attempts: 77 });
    const metrics = deriveMetrics(sample(), 10_000);
    expect(metrics.errors).toBe(24);
    expect(metrics['errors.ratio']).toBe(24 / 77);
  });

  test.each([
    ['a failed request', { ops: { login: op({ sent: 1, failed: 1 }) } }, 1, 1],
    ['a timed-out request', { ops: { heartbeat: op({ sent: 4, ok: 3, timeouts: 1 }) } }, 1, 4],
    ['an unanswered request', { ops: { userinfo: op({ sent: 2, ok: 1, unanswered: 1 }) } }, 1, 2],
    ['a lost chat', { delivery: { chat: delivery({ lost: 1 }) } }, 1, 0],
    ['a lost CHAT/1.0 line', { delivery: { send: delivery({ lost: 2 }) } }, 2, 0],
    ['a corrupted file', { delivery: { file: delivery({ corrupted: 1 }) } }, 1, 0],
    ['a duplicated chat', { delivery: { chat: delivery({ duplicated: 3 }) } }, 0, 0],
    ['a reordered chat', { delivery: { chat: delivery({ reordered: 3 }) } }, 0, 0],
    ['an unexpected frame', { unexpectedFrames: { '42': 5 } }, 5, 5],
    ['a bad line', { badLines: { 'bad utf-8': 1, 'no such command': 2 } }, 3, 3],
    ['a disconnect', { disconnects: { ECONNRESET: 2 } }, 2, 2],
    ['nothing', {}, 0, 0],
  ] as const)('%s: errors %s, attempts %s', (_what, parts, errors, attempts) => {
    expect(errorCount(measurements(parts as Partial<Measurements>))).toEqual({ errors, attempts });
  });

  test('errors.ratio with nothing attempted: 1 with errors, 0 without', () => {
    expect(deriveMetrics(measurements({ disconnects: { ECONNRESET: 1 } }), 1000)['errors.ratio']).toBe(1);
    expect(deriveMetrics(measurements({}), 1000)).toEqual({ errors: 0, 'errors.ratio': 0 });
  });

  const arbCounters = fc.record({ sent: fc.nat(50), ok: fc.nat(50), failed: fc.nat(5), timeouts: fc.nat(5), unanswered: fc.nat(5) });
  const arbDelivery = fc.record({ delivered: fc.nat(20), lost: fc.nat(5), duplicated: fc.nat(5), reordered: fc.nat(5), corrupted: fc.nat(5) });
  const arbTally = fc.dictionary(fc.constantFrom('a', 'b', 'c', '7', '99'), fc.nat(5));

  test.prop([
    fc.dictionary(fc.constantFrom(...LATENCY_OPS), arbCounters),
    fc.dictionary(fc.constantFrom('chat', 'send', 'broadcast', 'file'), arbDelivery),
    arbTally, arbTally, arbTally,
  ])('errors and errors.ratio follow [D-VERDICT] on any measurements', (counters, deliveries, disconnects, unexpectedFrames, badLines) => {
    const ops: Record<string, EncodedOp> = {};
    for (const [name, c] of Object.entries(counters)) ops[name] = op(c);
    const m = measurements({ ops, delivery: deliveries, disconnects, unexpectedFrames, badLines });
    const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
    const cs = Object.values(counters);
    const ds = Object.values(deliveries);
    const errors = sum(cs.map((c) => c.failed + c.timeouts + c.unanswered)) + sum(ds.map((d) => d.lost + d.corrupted))
      + sum(Object.values(unexpectedFrames)) + sum(Object.values(badLines)) + sum(Object.values(disconnects));
    const unasked = sum(Object.values(unexpectedFrames)) + sum(Object.values(badLines)) + sum(Object.values(disconnects));
    const attempts = sum(cs.map((c) => c.sent)) + unasked;
    expect(errorCount(m)).toEqual({ errors, attempts });
    const metrics = deriveMetrics(m, 1000);
    expect(metrics.errors).toBe(errors);
    expect(metrics['errors.ratio']).toBe(attempts > 0 ? errors / attempts : errors > 0 ? 1 : 0);
    // A share, whatever the server did unasked: counted as errors and as events.
    if (cs.every((c) => c.failed + c.timeouts + c.unanswered <= c.sent) && ds.every((d) => d.lost + d.corrupted === 0)) expect(metrics['errors.ratio']).toBeLessThanOrEqual(1);
  });
});

describe('deriveMetrics', () => {
  test('counters of every op and delivery counts are copied as they are', () => {
    const metrics = deriveMetrics(measurements({
      ops: { login: op({ sent: 10, ok: 6, failed: 2, timeouts: 1, unanswered: 1 }) },
      delivery: { chat: delivery({ delivered: 27, lost: 2, duplicated: 5, reordered: 4, corrupted: 1 }) },
    }), 10_000);
    expect(metrics).toMatchObject({
      'login.sent': 10, 'login.ok': 6, 'login.failed': 2, 'login.timeouts': 1, 'login.unanswered': 1,
      'chat.delivered': 27, 'chat.lost': 2, 'chat.duplicated': 5, 'chat.reordered': 4, 'chat.corrupted': 1,
    });
  });

  test.each([
    // op, ok, span, measuredMs, rate
    ['login', 6, { firstMs: 1000, lastMs: 3000 }, 10_000, 3],
    ['connect', 500, { firstMs: 0, lastMs: 250 }, 60_000, 2000],
    ['register', 5, null, 10_000, 0.5],
    ['addfriends', 2, { firstMs: 7, lastMs: 7 }, 10_000, 2000],
    ['friends', 1, { firstMs: 0, lastMs: 3000 }, 10_000, 0.33],
    ['userlist', 3, { firstMs: 100, lastMs: 1100 }, 10_000, 3],
    ['heartbeat', 18, { firstMs: 0, lastMs: 100 }, 10_000, 1.8],
    ['chat.e2e', 1, null, 3000, 0.33],
    ['status.notice', 2, { firstMs: 0, lastMs: 1 }, 3000, 0.67],
    ['userinfo', 7, null, 0, 0],
    ['upload', 0, null, 10_000, 0],
  ] as const)('%s with ok %s over span %j, measured %s ms: rate %s', (name, ok, span, measuredMs, rate) => {
    const metrics = deriveMetrics(measurements({ ops: { [name]: op({ sent: ok, ok, span }) } }), measuredMs);
    expect(metrics[`${name}.rate`]).toBe(rate);
  });

  test.prop([fc.constantFrom(...LATENCY_OPS), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 })])(
    'setup ops take their rate over their span, every other op over the measured time',
    (name, ok, firstMs, spanMs, measuredMs) => {
      const metrics = deriveMetrics(measurements({ ops: { [name]: op({ sent: ok, ok, span: { firstMs, lastMs: firstMs + spanMs } }) } }), measuredMs);
      const over = SETUP_OPS.has(name) ? spanMs : measuredMs;
      expect(metrics[`${name}.rate`]).toBe(Math.round((ok / over) * 1000 * 100) / 100);
    },
  );

  test('the setup ops are connect, register, login, addfriends, friends and userlist', () => {
    expect([...SETUP_OPS].sort()).toEqual(['addfriends', 'connect', 'friends', 'login', 'register', 'userlist']);
  });

  test('latency statistics in ms from both histograms; none for an op with no latency', () => {
    const corrected = [...Array<number>(99).fill(1000), 2000];
    const uncorrected = Array<number>(100).fill(500);
    const metrics = deriveMetrics(measurements({
      ops: { heartbeat: op({ sent: 100, ok: 100, corrected, uncorrected }), login: op({ sent: 3, failed: 3 }) },
    }), 10_000);
    expect(metrics).toMatchObject({
      'heartbeat.p50': 1, 'heartbeat.p90': 1, 'heartbeat.p99': 1, 'heartbeat.p999': 2, 'heartbeat.max': 2, 'heartbeat.mean': 1.01,
      'heartbeat.p50_uncorrected': 0.5, 'heartbeat.p90_uncorrected': 0.5, 'heartbeat.p99_uncorrected': 0.5,
      'heartbeat.p999_uncorrected': 0.5, 'heartbeat.max_uncorrected': 0.5, 'heartbeat.mean_uncorrected': 0.5,
    });
    for (const stat of LATENCY_STATS) {
      expect(metrics[`login.${stat}`]).toBeUndefined();
      expect(metrics[`login.${stat}_uncorrected`]).toBeUndefined();
    }
    expect(metrics['login.failed']).toBe(3);
  });

  test.each([
    [5_000_000, 10_000, 500_000],
    [1000, 3000, 333],
    [2000, 3000, 667],
    [0, 10_000, 0],
    [123_456, 0, 0],
  ])('download.throughput: %s bytes over %s ms is %s bytes/s', (downloadBytes, measuredMs, throughput) => {
    const metrics = deriveMetrics(measurements({ ops: { download: op({ sent: 1, ok: 1 }) }, downloadBytes }), measuredMs);
    expect(metrics['download.throughput']).toBe(throughput);
  });

  test('no download.throughput without a download op', () => {
    const metrics = deriveMetrics(measurements({ ops: { upload: op({ sent: 1, ok: 1 }) }, downloadBytes: 4096 }), 1000);
    expect(metrics['download.throughput']).toBeUndefined();
  });
});
