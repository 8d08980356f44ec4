// The ping scenario: HeartbeatRequest frames timed against their HeartbeatResponse, no login, no
// protobuf decoding. It measures the generator and the transport alone, against any frame responder.
// Closed model: K requests in flight per connection. Open model: requests scheduled evenly at a fixed
// rate whatever the replies do, each timed from its scheduled time too [D-LOAD].
import { MessageId, encodeFrame } from '../../proto/index.js';
import { monoMs } from '../../util/clock.js';
import { ConnectTracker } from './connect-tracker.js';
import { ImLink } from './im-link.js';
import { Liveness } from './liveness.js';
import { PendingQueue } from './pending-queue.js';
import { PreciseWake } from './precise-wake.js';
import type { ScenarioContext } from './scenario-context.js';
import type { PingPlan } from './scenario-plan.js';

interface PingConnection {
  link: ImLink;
  pending: PendingQueue;
  target: number;
}

const HEARTBEAT = 'heartbeat';
/** How often timeouts are looked for. */
const TIMEOUT_SWEEP_MS = 100;

export async function runPing(ctx: ScenarioContext, plan: PingPlan): Promise<void> {
  const { task, recorder, timeline } = ctx;
  const frame = encodeFrame(MessageId.HeartbeatRequest, new Uint8Array(plan.bodyBytes), task.layout);
  const connections: PingConnection[] = [];
  const reply = { scheduledMs: 0, sentMs: 0, timedOut: false };
  let sending = true;
  const liveness = new Liveness(ctx, task.timeoutMs);
  const connects = new ConnectTracker(recorder);
  // Every outcome is counted like its request, by when it was due, so warm-up requests never show up
  // against measured sends: sent = ok + timeouts + unanswered holds for the measured window [D-METRICS].
  const unanswered = (scheduledMs: number): void => { if (ctx.inWindow(scheduledMs)) recorder.count(HEARTBEAT, 'unanswered'); };
  /** Open model: sends what has come due, run after each batch of replies. */
  let afterReplies: (() => void) | null = null;

  const send = (c: PingConnection, scheduledMs: number): void => {
    const now = monoMs();
    c.pending.push(MessageId.HeartbeatResponse, scheduledMs, now);
    c.link.write(frame);
    liveness.asked(c.target, now);
    if (ctx.inWindow(scheduledMs)) recorder.sent(HEARTBEAT, now - scheduledMs);
  };

  const onReply = (c: PingConnection, id: number): void => {
    liveness.answered(c.target);
    if (id !== MessageId.HeartbeatResponse || !c.pending.take(id, reply)) {
      recorder.unexpectedFrame(id);
      return;
    }
    const now = monoMs();
    if (!reply.timedOut && ctx.inWindow(reply.scheduledMs)) recorder.latency(HEARTBEAT, now - reply.scheduledMs, now - reply.sentMs);
    // Closed model: the reply frees a slot for the next request (a late reply's slot was refilled
    // when it timed out).
    if (plan.model === 'closed' && sending && !reply.timedOut) send(c, now);
  };

  // Connect everything, spread over the ramp-up, each to its target and source address.
  const opening: Promise<void>[] = [];
  for (let i = 0; i < plan.connections; i++) {
    const global = plan.firstConnection + i;
    const targetIndex = global % task.targets.length;
    const target = task.targets[targetIndex]!;
    const localAddress = task.sourceAddresses.length > 0 ? task.sourceAddresses[global % task.sourceAddresses.length] : undefined;
    const at = timeline.startMs + (timeline.rampUpMs * i) / plan.connections;
    opening.push(ctx.sleepUntil(at).then(async () => {
      if (ctx.stopping) return;
      const started = monoMs();
      const attempt = connects.begin(at, started);
      try {
        const link = await ImLink.open({ ...target, localAddress, layout: task.layout, maxBodyBytes: task.maxBodyBytes, connectTimeoutMs: task.timeoutMs });
        connects.connected(attempt, link, monoMs());
        const c: PingConnection = { link, pending: new PendingQueue(Math.max(16, plan.inflight * 2)), target: targetIndex };
        link.onFrame = (id) => onReply(c, id);
        link.onFramesDone = () => afterReplies?.();
        link.onClose = (reason) => {
          ctx.status.connected--;
          connects.closed(attempt);
          // What it still waited for will not come on this connection.
          c.pending.drain((_id, scheduledMs) => unanswered(scheduledMs));
          liveness.closed(targetIndex, reason, !sending);
        };
        connections.push(c);
        liveness.opened(targetIndex);
        ctx.status.connected++;
      } catch (err) {
        ctx.status.connectFailures++;
        connects.refused(attempt, err as NodeJS.ErrnoException);
      }
    }));
  }
  await Promise.all(opening);
  if (connections.length === 0 && !ctx.stopping) ctx.failTarget('no connection could be opened');

  const timeoutSweep = setInterval(() => {
    const now = monoMs();
    for (const c of connections) {
      c.pending.expire(now - task.timeoutMs, (_id, scheduledMs) => {
        if (ctx.inWindow(scheduledMs)) recorder.count(HEARTBEAT, 'timeouts');
        if (plan.model === 'closed' && sending && !c.link.closed) send(c, now);
      });
    }
    liveness.check(now);
  }, TIMEOUT_SWEEP_MS);

  await ctx.sleepUntil(timeline.startMs + timeline.rampUpMs);
  if (plan.model === 'closed') {
    const now = monoMs();
    for (const c of connections) for (let k = 0; k < plan.inflight; k++) send(c, now);
    await ctx.sleepUntil(timeline.measureEndMs);
  } else {
    const schedule = openSchedule(ctx, plan, connections, send);
    afterReplies = schedule.pump;
    await schedule.run();
    afterReplies = null;
  }
  sending = false;

  // Let the last replies arrive (at most the timeout), then close.
  const drainUntil = Math.min(monoMs() + task.timeoutMs, Math.max(timeline.graceEndMs, monoMs()));
  while (!ctx.targetFailure && monoMs() < drainUntil && connections.some((c) => c.pending.outstanding() > 0)) {
    await new Promise((r) => setTimeout(r, 10));
  }
  clearInterval(timeoutSweep);
  connects.finish();
  for (const c of connections) {
    c.pending.drain((_id, scheduledMs) => unanswered(scheduledMs));
    c.link.close();
  }
}

/**
 * Open model: request k is due at start + k/rate, round-robin over the connections, whatever the
 * replies do. The schedule is pumped from two places: after each batch of replies, and at the next
 * due time by a precise wake-up (precise-wake.ts: to a few microseconds, where a timer would be up to
 * a millisecond late), told the due time after it. It never spins: on two cores a spinning generator starves the server it
 * measures. Every send's lag is recorded.
 */
function openSchedule(ctx: ScenarioContext, plan: PingPlan, connections: PingConnection[], send: (c: PingConnection, scheduledMs: number) => void) {
  const { timeline } = ctx;
  // The rate holds however many connections opened: the open model does not bend to the target.
  const spacingMs = 1000 / plan.rate;
  const start = timeline.startMs + timeline.rampUpMs;
  let k = 0;
  let due = start;
  const pump = (): void => {
    const now = monoMs();
    while (due <= now && due < timeline.measureEndMs && !ctx.stopping) {
      const c = connections[k % connections.length]!;
      if (!c.link.closed) send(c, due);
      k++;
      due = start + k * spacingMs;
    }
  };
  const run = async (): Promise<void> => {
    const wake = new PreciseWake();
    try {
      while (!ctx.stopping && due < timeline.measureEndMs && connections.length > 0) {
        pump();
        await wake.sleepUntil(due, start + (k + 1) * spacingMs);
      }
    } finally {
      wake.close();
    }
  };
  return { pump, run };
}
