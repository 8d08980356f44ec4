// Metric names [D-METRICS]: latencies `<op>.<stat>`, counters `<op>.<counter>`, delivery accounting of
// the end-to-end ops, and rates. One list, so thresholds can refuse a name that no run would produce.

export const REQUEST_OPS = [
  'connect', 'register', 'login', 'heartbeat', 'friends', 'userlist', 'addfriends', 'status', 'userinfo', 'upload', 'filelist',
] as const;
/** Delivery latencies: a chat from the sender's send to the receiver's notice. */
export const E2E_OPS = ['chat.e2e', 'send.e2e', 'broadcast.e2e'] as const;
export const LATENCY_OPS = [...REQUEST_OPS, ...E2E_OPS] as const;
export type LatencyOp = (typeof LATENCY_OPS)[number];

export const LATENCY_STATS = ['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

export const COUNTERS = ['sent', 'ok', 'failed', 'timeouts'] as const;
export type Counter = (typeof COUNTERS)[number];

/** Delivery accounting applies to the messages an end-to-end op carries: `chat`, `send`, `broadcast`. */
export const DELIVERY_OPS = ['chat', 'send', 'broadcast'] as const;
export type DeliveryOp = (typeof DELIVERY_OPS)[number];
export const DELIVERY_COUNTERS = ['delivered', 'lost', 'duplicated', 'reordered'] as const;
export type DeliveryCounter = (typeof DELIVERY_COUNTERS)[number];

export type MetricKind = 'latency' | 'count' | 'rate';

export interface MetricName {
  name: string;
  kind: MetricKind;
}

function allMetricNames(): Map<string, MetricKind> {
  const names = new Map<string, MetricKind>();
  for (const op of LATENCY_OPS) {
    for (const stat of LATENCY_STATS) {
      names.set(`${op}.${stat}`, 'latency');
      names.set(`${op}.${stat}_uncorrected`, 'latency');
    }
    for (const counter of COUNTERS) names.set(`${op}.${counter}`, 'count');
    names.set(`${op}.rate`, 'rate');
  }
  for (const op of DELIVERY_OPS) {
    for (const counter of DELIVERY_COUNTERS) names.set(`${op}.${counter}`, 'count');
  }
  return names;
}

export const METRIC_NAMES: ReadonlyMap<string, MetricKind> = allMetricNames();

export function metricKind(name: string): MetricKind | undefined {
  return METRIC_NAMES.get(name);
}
