// The generator's send lag is kept apart from the server's latency [D-METRICS]: against a responder
// that answers every heartbeat exactly 20 ms late, by inequalities and identities between what the
// run measured, never by how fast anything was. Corrected latency is uncorrected latency plus the
// lag, request by request, so their means add up (to the histograms' precision); the server's 20 ms
// lies in the uncorrected latency, not in the lag, which holds one value per request sent.
import { describe, expect, test } from 'vitest';
import { keeper } from '../../test-support/cleanup.js';
import { expectExit, load } from '../../test-support/cli-run.js';
import { startDelayedResponder } from '../../test-support/doubles/delayed-responder.js';
import { decodeHistogram, initHistograms, summarize } from '../../reports/schema/histogram.js';

const DELAY_MS = 20;

describe('send lag against a responder of known delay', () => {
  test('open model: lag + uncorrected = corrected; the delay is in the uncorrected latency; one lag per send', async (ctx) => {
    await initHistograms();
    const keep = keeper(ctx);
    const responder = keep(await startDelayedResponder(DELAY_MS));
    const run = await load(['--target', `127.0.0.1:${responder.port}`, '--scenario', 'ping', '--users', '10', '--rate', '500',
      '--ramp-up', '0s', '--warmup', '0s', '--duration', '2s', '--grace', '1s', '--seed', 'lag']);
    expectExit(run, 0);
    const op = run.result.ops.heartbeat!;
    expect(op.sent).toBeGreaterThan(0);
    expect(op.ok).toBe(op.sent);
    const [corrected, uncorrected, lag] = [op.corrected, op.uncorrected, op.lag!].map((e) => { const h = decodeHistogram(e); const s = summarize(h); h.destroy(); return s; });
    expect(lag!.count).toBe(op.sent);
    // The server's delay is a floor of the latency from the send, which is where it belongs...
    expect(uncorrected!.p50 * 1.001).toBeGreaterThanOrEqual(DELAY_MS);
    // ...and the lag is what separates the two latencies: each request's corrected latency is its
    // uncorrected one plus its lag, so the means add up to the histograms' precision (3 digits).
    expect(Math.abs(corrected!.mean - (uncorrected!.mean + lag!.mean))).toBeLessThanOrEqual(0.002 * corrected!.mean + 0.002);
    // Were the lag counted into the server's time (uncorrected taken from the due time), the identity
    // could not hold with a lag that is not zero: a planted mutant of ping.ts fails here.
    for (const stat of ['p50', 'p90', 'p99', 'max'] as const) expect(corrected![stat] * 1.001).toBeGreaterThanOrEqual(uncorrected![stat]);
    // The metrics carry it by name [D-METRICS].
    expect(run.result.metrics['heartbeat.lag.p99']).toBe(lag!.p99);
  });
});
