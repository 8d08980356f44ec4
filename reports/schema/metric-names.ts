// Metric names [D-METRICS]: latencies `<op>.<stat>`, counters `<op>.<counter>`, delivery accounting of
// the end-to-end ops, rates, and the run's error count [D-VERDICT]. One list, so thresholds can refuse
// a name that no run would produce, and know which operation a metric measures (a threshold on an
// operation that never happened must not hold).

/** Requests, each with a reply of its own (but 9, status, which is timed by its notices). */
export const REQUEST_OPS = [
  'connect', 'register', 'login', 'heartbeat', 'friends', 'userlist', 'addfriends', 'status', 'userinfo', 'upload', 'filelist', 'download',
] as const;
export type RequestOp = (typeof REQUEST_OPS)[number];
/**
 * Deliveries: a chat from the sender's send to the receiver's notice (`chat.offline.e2e`: one sent while
 * its receiver was away, to its delivery at the next login), an uploaded file from the upload's send to
 * its download's end, and a friend's notice of a status change.
 */
export const E2E_OPS = ['chat.e2e', 'chat.offline.e2e', 'send.e2e', 'broadcast.e2e', 'file.e2e', 'status.notice'] as const;
export const LATENCY_OPS = [...REQUEST_OPS, ...E2E_OPS] as const;
export type LatencyOp = (typeof LATENCY_OPS)[number];

/** Setup operations: recorded whenever they happen, their rate taken over the span in which they did. */
export const SETUP_OPS: ReadonlySet<LatencyOp> = new Set<LatencyOp>(['connect', 'register', 'login', 'addfriends', 'friends', 'userlist']);

export const LATENCY_STATS = ['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

/**
 * `sent = ok + failed + timeouts + unanswered` for every request that expects a reply; `unanswered`:
 * sent, neither answered nor timed out by the end of the grace window (or its connection ended first).
 */
export const COUNTERS = ['sent', 'ok', 'failed', 'timeouts', 'unanswered'] as const;
export type Counter = (typeof COUNTERS)[number];

/** Delivery accounting applies to what an end-to-end op carries: chats, CHAT/1.0 lines, files. */
export const DELIVERY_OPS = ['chat', 'send', 'broadcast', 'file'] as const;
export type DeliveryOp = (typeof DELIVERY_OPS)[number];
export const DELIVERY_COUNTERS = ['delivered', 'lost', 'duplicated', 'reordered', 'corrupted'] as const;
export type DeliveryCounter = (typeof DELIVERY_COUNTERS)[number];
export type DeliveryCounts = Record<DeliveryCounter, number>;
export const noDeliveries = (): DeliveryCounts => ({ delivered: 0, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 });

/** The latency ops whose messages a delivery op accounts for. */
export const DELIVERY_CARRIERS: Readonly<Record<DeliveryOp, readonly LatencyOp[]>> = {
  chat: ['chat.e2e', 'chat.offline.e2e'], send: ['send.e2e'], broadcast: ['broadcast.e2e'], file: ['file.e2e'],
};

export type MetricKind = 'latency' | 'count' | 'rate' | 'ratio';

export interface MetricInfo {
  kind: MetricKind;
  /**
   * What must have been attempted for the metric to mean anything: the ops whose `sent` must not be
   * zero, or 'ok' for a latency (its histogram must hold something), or 'any' (the whole run).
   */
  basis: { ops: readonly LatencyOp[]; need: 'sent' | 'ok' } | 'any';
}

function allMetricNames(): Map<string, MetricInfo> {
  const names = new Map<string, MetricInfo>();
  for (const op of LATENCY_OPS) {
    for (const stat of LATENCY_STATS) {
      names.set(`${op}.${stat}`, { kind: 'latency', basis: { ops: [op], need: 'ok' } });
      names.set(`${op}.${stat}_uncorrected`, { kind: 'latency', basis: { ops: [op], need: 'ok' } });
    }
    // The generator's send lag [D-METRICS]: there is one for every request sent.
    for (const stat of LATENCY_STATS) names.set(`${op}.lag.${stat}`, { kind: 'latency', basis: { ops: [op], need: 'sent' } });
    for (const counter of COUNTERS) names.set(`${op}.${counter}`, { kind: 'count', basis: { ops: [op], need: 'sent' } });
    names.set(`${op}.rate`, { kind: 'rate', basis: { ops: [op], need: 'sent' } });
  }
  for (const op of DELIVERY_OPS) {
    for (const counter of DELIVERY_COUNTERS) names.set(`${op}.${counter}`, { kind: 'count', basis: { ops: DELIVERY_CARRIERS[op], need: 'sent' } });
  }
  names.set('download.throughput', { kind: 'rate', basis: { ops: ['download'], need: 'sent' } });
  names.set('errors', { kind: 'count', basis: 'any' });
  names.set('errors.ratio', { kind: 'ratio', basis: 'any' });
  return names;
}

export const METRIC_NAMES: ReadonlyMap<string, MetricInfo> = allMetricNames();

export function metricInfo(name: string): MetricInfo | undefined {
  return METRIC_NAMES.get(name);
}
