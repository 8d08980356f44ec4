// Thresholds [D-METRICS] and the run's verdict [D-VERDICT]: parsing (units, kinds, the errors a typo
// gets), the default `errors==0`, and evaluation, where a threshold on something never measured fails.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { METRIC_NAMES } from '../../../reports/schema/metric-names.js';
import {
  COMPARATORS, DEFAULT_THRESHOLD, ThresholdError, evaluateThresholds, parseThreshold, withDefaultThreshold,
  type Comparator, type Threshold,
} from '../../metrics/thresholds.js';

const namesOfKind = (kind: string): string[] => [...METRIC_NAMES].filter(([, info]) => info.kind === kind).map(([name]) => name);
const LATENCY_NAMES = namesOfKind('latency');
const COUNT_NAMES = namesOfKind('count');
const RATE_NAMES = namesOfKind('rate');
const RATIO_NAMES = namesOfKind('ratio');

function thrown(source: string): ThresholdError {
  try {
    parseThreshold(source);
  } catch (err) {
    if (err instanceof ThresholdError) return err;
    throw err;
  }
  throw new Error(`"${source}" parsed`);
}

describe('parseThreshold', () => {
  test.each([
    ['chat.e2e.p99<50ms', 'chat.e2e.p99', 'latency', '<', 50],
    ['chat.e2e.p99<=1500us', 'chat.e2e.p99', 'latency', '<=', 1.5],
    ['heartbeat.p999>=2s', 'heartbeat.p999', 'latency', '>=', 2000],
    ['login.p50_uncorrected!=0.5s', 'login.p50_uncorrected', 'latency', '!=', 500],
    ['status.notice.max>7us', 'status.notice.max', 'latency', '>', 0.007],
    ['  chat.e2e.mean  <  1.5 s  ', 'chat.e2e.mean', 'latency', '<', 1500],
    // The units of the command line and scenario files (util/units.ts): minutes and hours too, and
    // 0 with none.
    ['chat.e2e.p99<2m', 'chat.e2e.p99', 'latency', '<', 120_000],
    ['file.e2e.max<=1h', 'file.e2e.max', 'latency', '<=', 3_600_000],
    ['heartbeat.p50_uncorrected>0', 'heartbeat.p50_uncorrected', 'latency', '>', 0],
    ['chat.lost==0', 'chat.lost', 'count', '==', 0],
    ['file.corrupted==0', 'file.corrupted', 'count', '==', 0],
    ['status.notice.unanswered<=3', 'status.notice.unanswered', 'count', '<=', 3],
    ['errors==0', 'errors', 'count', '==', 0],
    ['errors==-1', 'errors', 'count', '==', -1],
    ['login.rate>100', 'login.rate', 'rate', '>', 100],
    ['download.throughput>=1000000', 'download.throughput', 'rate', '>=', 1_000_000],
    ['errors.ratio<0.01', 'errors.ratio', 'ratio', '<', 0.01],
  ] as const)('%s is %s %s %s %s', (source, metric, kind, comparator, value) => {
    const t = parseThreshold(source);
    expect(t).toEqual({ source, metric, kind, comparator, value });
    expect(t.isDefault).toBeUndefined();
  });

  test.each([
    ['chat.e2e.p100<50ms', 'unknown metric "chat.e2e.p100"'],
    ['chat.p99<5ms', 'unknown metric "chat.p99"'],
    ['login.lost==0', 'unknown metric "login.lost"'],
    ['error==0', 'unknown metric "error"'],
    ['chat.e2e.p99<50', 'chat.e2e.p99 is a time; give its unit: us, ms, s, m or h'],
    ['chat.e2e.p99<0.5', 'chat.e2e.p99 is a time; give its unit: us, ms, s, m or h'],
    ['heartbeat.max<1min', 'heartbeat.max is a time; give its unit: us, ms, s, m or h'],
    ['heartbeat.max<1d', 'heartbeat.max is a time; give its unit: us, ms, s, m or h'],
    ['chat.lost==0ms', 'chat.lost is a count and takes no unit'],
    ['errors==0s', 'errors is a count and takes no unit'],
    ['login.rate>10s', 'login.rate is a rate per second and takes no unit'],
    ['errors.ratio<1ms', 'errors.ratio is a ratio (0.01 is 1%) and takes no unit'],
    ['chat.lost=0', 'is not METRIC OP VALUE'],
    ['chat.lost', 'is not METRIC OP VALUE'],
    ['chat.lost==', 'is not METRIC OP VALUE'],
    ['errors==1e3', 'is not METRIC OP VALUE'],
    ['chat.e2e.p99<50MS', 'is not METRIC OP VALUE'],
    ['login.rate>=10/s', 'is not METRIC OP VALUE'],
    ['', 'is not METRIC OP VALUE'],
  ])('%s is refused: %s', (source, message) => {
    const err = thrown(source);
    expect(err.code).toBe('BAD_THRESHOLD');
    expect(err.message).toContain(message);
    expect(err.message).toContain(`"${source}"`);
  });

  test.prop([
    fc.constantFrom(...LATENCY_NAMES), fc.constantFrom(...COMPARATORS), fc.integer({ min: 0, max: 100_000 }),
    fc.constantFrom(['us', 1 / 1000], ['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000]),
  ])(
    'every latency metric takes us, ms, s, m or h, and its value is kept in milliseconds',
    (metric, comparator, n, [unit, perMs]) => {
      const t = parseThreshold(`${metric}${comparator}${n}${unit}`);
      expect(t).toMatchObject({ source: `${metric}${comparator}${n}${unit}`, metric, kind: 'latency', comparator });
      expect(t.value).toBeCloseTo(n * perMs, 9);
      // A bare number is refused, except 0, which needs no unit.
      if (n === 0) expect(parseThreshold(`${metric}${comparator}0`).value).toBe(0);
      else expect(() => parseThreshold(`${metric}${comparator}${n}`)).toThrow(ThresholdError);
    },
  );

  test.prop([fc.constantFrom(...COUNT_NAMES, ...RATE_NAMES, ...RATIO_NAMES), fc.constantFrom(...COMPARATORS), fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom('us', 'ms', 's')])(
    'every count, rate and ratio takes its number as written, and refuses any unit',
    (metric, comparator, n, unit) => {
      const t = parseThreshold(`${metric} ${comparator} ${n}`);
      expect(t.metric).toBe(metric);
      expect(t.comparator).toBe(comparator);
      expect(t.value).toBe(n);
      expect(t.kind).toBe(METRIC_NAMES.get(metric)!.kind);
      expect(() => parseThreshold(`${metric}${comparator}${n}${unit}`)).toThrow(ThresholdError);
    },
  );

  test('the metric list has names of every kind', () => {
    expect(LATENCY_NAMES.length).toBeGreaterThan(0);
    expect(COUNT_NAMES).toContain('chat.lost');
    expect(RATE_NAMES).toEqual(expect.arrayContaining(['login.rate', 'download.throughput']));
    expect(RATIO_NAMES).toEqual(['errors.ratio']);
  });
});

describe('withDefaultThreshold', () => {
  const given = (...sources: string[]): Threshold[] => sources.map(parseThreshold);
  const defaultThreshold: Threshold = { source: 'errors==0', metric: 'errors', kind: 'count', comparator: '==', value: 0, isDefault: true };

  test('the default is errors==0', () => {
    expect(DEFAULT_THRESHOLD).toBe('errors==0');
  });

  test.each([
    [[], true, ['errors==0']],
    [[], false, []],
    [['chat.lost==0'], true, ['errors==0', 'chat.lost==0']],
    [['chat.lost==0', 'login.p99<1s'], true, ['errors==0', 'chat.lost==0', 'login.p99<1s']],
    [['chat.lost==0'], false, ['chat.lost==0']],
    [['errors<5'], true, ['errors<5']],
    [['errors.ratio<0.01'], true, ['errors.ratio<0.01']],
    [['chat.lost==0', 'errors.ratio<=0.5'], true, ['chat.lost==0', 'errors.ratio<=0.5']],
    [['errors==0'], true, ['errors==0']],
    [['errors.ratio<0.01'], false, ['errors.ratio<0.01']],
  ] as const)('%j with the default %s: %j', (sources, withDefault, expected) => {
    const out = withDefaultThreshold(given(...sources), withDefault);
    expect(out.map((t) => t.source)).toEqual(expected);
  });

  test('the default comes first and is marked; the user’s thresholds are not', () => {
    const out = withDefaultThreshold(given('chat.lost==0'), true);
    expect(out[0]).toEqual(defaultThreshold);
    expect(out[1]!.isDefault).toBeUndefined();
  });

  test('a user’s errors==0 replaces the default and is not marked as the default', () => {
    const out = withDefaultThreshold(given('errors==0'), true);
    expect(out).toHaveLength(1);
    expect(out[0]!.isDefault).toBeUndefined();
  });

  test('the given list is not changed', () => {
    const list = given('chat.lost==0');
    const out = withDefaultThreshold(list, true);
    expect(list).toHaveLength(1);
    expect(out).not.toBe(list);
    expect(withDefaultThreshold(list, false)).not.toBe(list);
  });
});

describe('evaluateThresholds', () => {
  const one = (source: string, metrics: Record<string, number>) => evaluateThresholds([parseThreshold(source)], metrics)[0]!;

  test.each([
    ['chat.lost==0', {}, 'chat.e2e or chat.offline.e2e'],
    ['chat.lost==0', { 'chat.e2e.sent': 0, 'chat.offline.e2e.sent': 0, 'chat.lost': 0 }, 'chat.e2e or chat.offline.e2e'],
    ['chat.lost==0', { 'chat.e2e.sent': 0, 'chat.lost': 0, 'login.sent': 100 }, 'chat.e2e or chat.offline.e2e'],
    ['login.failed==0', { 'login.failed': 0, 'heartbeat.sent': 10 }, 'login'],
    ['login.failed==0', { 'login.sent': 0, 'login.failed': 0 }, 'login'],
    ['heartbeat.p99<1s', { 'heartbeat.sent': 10, 'heartbeat.ok': 0, 'heartbeat.timeouts': 10 }, 'heartbeat'],
    ['heartbeat.p99<1s', { 'heartbeat.sent': 10, 'heartbeat.p99': 3 }, 'heartbeat'],
    ['file.corrupted==0', { 'upload.sent': 4, 'file.corrupted': 0 }, 'file.e2e'],
    ['download.throughput>0', { 'download.throughput': 0 }, 'download'],
    ['status.notice.p50<5ms', { 'status.sent': 3, 'status.notice.sent': 6 }, 'status.notice'],
    ['errors==0', {}, 'the run'],
    ['errors==0', { 'login.sent': 0, 'heartbeat.sent': 0, errors: 0 }, 'the run'],
    ['errors.ratio<0.5', { 'login.ok': 3, 'errors.ratio': 0 }, 'the run'],
  ])('%s over %j fails: nothing was measured for %s', (source, metrics, what) => {
    expect(one(source, metrics)).toEqual({
      threshold: source, metric: parseThreshold(source).metric, actual: null, passed: false, note: `nothing was measured for ${what}`,
    });
  });

  test('a figure the run lacks though it measured the operation (an older schema, or a merge with one) fails, saying so', () => {
    expect(one('heartbeat.lag.p99<1ms', { 'heartbeat.sent': 10, 'heartbeat.ok': 10, 'heartbeat.p99': 3 })).toEqual({
      threshold: 'heartbeat.lag.p99<1ms', metric: 'heartbeat.lag.p99', actual: null, passed: false,
      note: 'this run has no heartbeat.lag.p99 figure (the send lag is measured from result schema version 4; a run merged with an older one has none)',
    });
  });

  test.each([
    ['chat.lost==0', { 'chat.e2e.sent': 5, 'chat.lost': 0 }, 0, true],
    ['chat.lost==0', { 'chat.offline.e2e.sent': 3, 'chat.lost': 0 }, 0, true],
    ['chat.lost==0', { 'chat.e2e.sent': 5, 'chat.offline.e2e.sent': 1, 'chat.lost': 2 }, 2, false],
    ['login.failed==0', { 'login.sent': 1, 'login.failed': 0 }, 0, true],
    ['login.failed==0', { 'login.sent': 4, 'login.failed': 1 }, 1, false],
    ['heartbeat.p99<1s', { 'heartbeat.sent': 10, 'heartbeat.ok': 5, 'heartbeat.p99': 3 }, 3, true],
    ['heartbeat.p99<1s', { 'heartbeat.sent': 10, 'heartbeat.ok': 5, 'heartbeat.p99': 1000 }, 1000, false],
    ['heartbeat.p99<=1s', { 'heartbeat.sent': 10, 'heartbeat.ok': 5, 'heartbeat.p99': 1000 }, 1000, true],
    ['errors==0', { 'heartbeat.sent': 1, errors: 0 }, 0, true],
    ['errors==0', { 'chat.e2e.sent': 1, errors: 4 }, 4, false],
    ['errors.ratio<0.01', { 'login.sent': 100, 'errors.ratio': 0.009 }, 0.009, true],
    ['errors.ratio<0.01', { 'login.sent': 100, 'errors.ratio': 0.01 }, 0.01, false],
  ])('%s over %j: actual %s, passed %s', (source, metrics, actual, passed) => {
    const outcome = one(source, metrics);
    expect(outcome).toEqual({ threshold: source, metric: parseThreshold(source).metric, actual, passed });
    expect(outcome.note).toBeUndefined();
  });

  test('a measured op whose figure is missing fails, its actual null, saying the run has no such figure', () => {
    expect(one('login.p99<1s', { 'login.sent': 3, 'login.ok': 3 })).toEqual({ threshold: 'login.p99<1s', metric: 'login.p99', actual: null, passed: false, note: 'this run has no login.p99 figure' });
  });

  // actual 5 against 4, 5 and 6 under each comparator.
  test.each([
    ['<', [false, false, true]],
    ['<=', [false, true, true]],
    ['>', [true, false, false]],
    ['>=', [true, true, false]],
    ['==', [false, true, false]],
    ['!=', [true, false, true]],
  ] as const)('5 %s 4, 5, 6: %j', (comparator, expected) => {
    const metrics = { 'login.sent': 9, 'login.failed': 5 };
    const outcomes = evaluateThresholds([4, 5, 6].map((v) => parseThreshold(`login.failed${comparator}${v}`)), metrics);
    expect(outcomes.map((o) => o.passed)).toEqual(expected);
    expect(outcomes.map((o) => o.actual)).toEqual([5, 5, 5]);
  });

  test('a latency threshold compares milliseconds: 1500us is 1.5 ms', () => {
    const metrics = { 'login.sent': 1, 'login.ok': 1, 'login.max': 1.5 };
    expect(one('login.max<=1500us', metrics).passed).toBe(true);
    expect(one('login.max<1500us', metrics).passed).toBe(false);
    expect(one('login.max<0.002s', metrics).passed).toBe(true);
  });

  test('the default keeps its mark in the outcome; outcomes keep the thresholds’ order', () => {
    const thresholds = withDefaultThreshold([parseThreshold('chat.lost==0')], true);
    const outcomes = evaluateThresholds(thresholds, { 'login.sent': 1, errors: 0 });
    expect(outcomes).toEqual([
      { threshold: 'errors==0', metric: 'errors', actual: 0, passed: true, isDefault: true },
      { threshold: 'chat.lost==0', metric: 'chat.lost', actual: null, passed: false, note: 'nothing was measured for chat.e2e or chat.offline.e2e' },
    ]);
  });

  const reference = (actual: number, comparator: Comparator, value: number): boolean =>
    ({ '<': actual < value, '<=': actual <= value, '>': actual > value, '>=': actual >= value, '==': actual === value, '!=': actual !== value })[comparator];

  test.prop([fc.constantFrom(...COMPARATORS), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }), fc.nat({ max: 3 })])(
    'measured: passes exactly when the comparison holds; never attempted: fails whatever the value',
    (comparator, actual, value, sent) => {
      const outcome = one(`chat.duplicated${comparator}${value}`, { 'chat.e2e.sent': sent, 'chat.duplicated': actual });
      if (sent > 0) {
        expect(outcome).toEqual({ threshold: `chat.duplicated${comparator}${value}`, metric: 'chat.duplicated', actual, passed: reference(actual, comparator, value) });
      } else {
        expect(outcome.passed).toBe(false);
        expect(outcome.actual).toBeNull();
        expect(outcome.note).toBe('nothing was measured for chat.e2e or chat.offline.e2e');
      }
    },
  );
});
