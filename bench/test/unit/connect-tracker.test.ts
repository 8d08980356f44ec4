// Every connection attempt counted exactly once [D-METRICS]: sent = ok + failed + timeouts + unanswered,
// with a real Recorder and a fake link.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ConnectTracker, type ConnectAttempt } from '../../engine/connect-tracker.js';
import type { Link } from '../../engine/link.js';
import { decodeHistogram, initHistograms, summarize } from '../../../reports/schema/histogram.js';
import { Recorder } from '../../metrics/recorder.js';

beforeAll(async () => {
  await initHistograms();
});

class FakeLink {
  answered = false;
  closed = false;
  closedByPeer = false;
  closeReason = '';
  onFirstBytes: () => void = () => undefined;
  closeCalls = 0;
  close(): void { this.closeCalls++; }

  /** The server's first bytes. */
  bytes(): void {
    if (!this.answered) { this.answered = true; this.onFirstBytes(); }
  }

  peerClose(reason = 'closed by the server'): void {
    this.closed = true;
    this.closedByPeer = true;
    this.closeReason = reason;
  }

  ourClose(): void {
    this.closed = true;
    this.closeReason = 'closed by the generator';
  }

  get link(): Link { return this as unknown as Link; }
}

const errno = (code: string | undefined, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), code === undefined ? {} : { code });

function counts(r: Recorder) {
  const c = r.snapshot().ops.connect;
  return c ? { sent: c.sent, ok: c.ok, failed: c.failed, timeouts: c.timeouts, unanswered: c.unanswered } : null;
}

function withTracker(body: (t: ConnectTracker, r: Recorder) => void): void {
  const r = new Recorder();
  try {
    body(new ConnectTracker(r), r);
  } finally {
    r.destroy();
  }
}

const tally = (c: Partial<{ sent: number; ok: number; failed: number; timeouts: number; unanswered: number }>) => ({ sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0, ...c });

describe('ConnectTracker', () => {
  test('begin counts connect.sent', () => {
    withTracker((t, r) => {
      t.begin(0, 0);
      t.begin(1, 1);
      expect(counts(r)).toEqual(tally({ sent: 2 }));
    });
  });

  test('the server’s first bytes make it ok, with the connect’s own latency and span', () => {
    withTracker((t, r) => {
      const a = t.begin(0, 0.5);
      const link = new FakeLink();
      t.connected(a, link.link, 1.5);
      expect(counts(r)).toEqual(tally({ sent: 1 }));
      link.bytes();
      expect(counts(r)).toEqual(tally({ sent: 1, ok: 1 }));
      const op = r.snapshot().ops.connect!;
      const corrected = decodeHistogram(op.corrected);
      const uncorrected = decodeHistogram(op.uncorrected);
      expect(summarize(corrected).max).toBe(1.5);     // from when it was due
      expect(summarize(uncorrected).max).toBe(1);     // from when it started
      corrected.destroy();
      uncorrected.destroy();
      expect(op.span).toEqual({ firstMs: 0.5, lastMs: 1.5 });
      t.closed(a);
      link.peerClose();
      t.closed(a);
      t.finish();
      expect(counts(r)).toEqual(tally({ sent: 1, ok: 1 }));
    });
  });

  test('closed by the server before answering: failed, with the reason and the close’s words', () => {
    withTracker((t, r) => {
      const a = t.begin(0, 0);
      const link = new FakeLink();
      t.connected(a, link.link, 1);
      link.peerClose('ECONNRESET');
      t.closed(a);
      t.finish();
      expect(counts(r)).toEqual(tally({ sent: 1, failed: 1 }));
      const op = r.snapshot().ops.connect!;
      expect(op.failedBy).toEqual({ 'closed by the server before answering': 1 });
      expect(op.failureSamples).toEqual({ 'closed by the server before answering': ['ECONNRESET'] });
    });
  });

  test('closed by the server after it had answered (bytes seen before the tracker hooked in): ok', () => {
    withTracker((t, r) => {
      const a = t.begin(0, 0);
      const link = new FakeLink();
      link.answered = true;
      t.connected(a, link.link, 1);
      link.peerClose();
      t.closed(a);
      expect(counts(r)).toEqual(tally({ sent: 1, ok: 1 }));
    });
  });

  test('closed by us before the server said anything: ok', () => {
    withTracker((t, r) => {
      const a = t.begin(0, 0);
      const link = new FakeLink();
      t.connected(a, link.link, 1);
      link.ourClose();
      t.closed(a);
      expect(counts(r)).toEqual(tally({ sent: 1, ok: 1 }));
    });
  });

  test.each([
    ['ETIMEDOUT', 'connect timed out', tally({ sent: 1, timeouts: 1 }), {}],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', tally({ sent: 1, failed: 1 }), { ECONNREFUSED: 1 }],
    ['EADDRNOTAVAIL', 'no address', tally({ sent: 1, failed: 1 }), { EADDRNOTAVAIL: 1 }],
    [undefined, 'something else', tally({ sent: 1, failed: 1 }), { error: 1 }],
  ])('refused with %s: %j', (code, message, expected, failedBy) => {
    withTracker((t, r) => {
      const a = t.begin(0, 0);
      t.refused(a, errno(code, message));
      t.refused(a, errno(code, message));   // counted once
      t.finish();
      expect(counts(r)).toEqual(expected);
      const op = r.snapshot().ops.connect!;
      expect(op.failedBy).toEqual(failedBy);
      if (code !== 'ETIMEDOUT') expect(Object.values(op.failureSamples)).toEqual([[message]]);
    });
  });

  test('finish: in progress is unanswered; connected and open is ok; closed unseen is judged as closed', () => {
    withTracker((t, r) => {
      t.begin(0, 0);                                            // in progress
      const open = new FakeLink();
      t.connected(t.begin(0, 0), open.link, 1);                // connected, silent, open
      const peer = new FakeLink();
      t.connected(t.begin(0, 0), peer.link, 1);
      peer.peerClose();                                         // closed by the server, closed() not called yet
      const ours = new FakeLink();
      t.connected(t.begin(0, 0), ours.link, 1);
      ours.ourClose();
      t.finish();
      expect(counts(r)).toEqual(tally({ sent: 4, ok: 2, failed: 1, unanswered: 1 }));
      t.finish();
      expect(counts(r)).toEqual(tally({ sent: 4, ok: 2, failed: 1, unanswered: 1 }));
    });
  });

  test('after finish, later events are ignored; a connect that completes late is closed', () => {
    withTracker((t, r) => {
      const late = t.begin(0, 0);
      const refused = t.begin(0, 0);
      const silent = t.begin(0, 0);
      const silentLink = new FakeLink();
      t.connected(silent, silentLink.link, 1);
      t.finish();
      const link = new FakeLink();
      t.connected(late, link.link, 5);
      expect(link.closeCalls).toBe(1);
      link.bytes();
      t.refused(refused, errno('ECONNREFUSED', 'refused'));
      silentLink.bytes();
      silentLink.peerClose();
      t.closed(silent);
      expect(counts(r)).toEqual(tally({ sent: 3, ok: 1, unanswered: 2 }));
    });
  });

  test('a close before the socket connected is ignored until finish', () => {
    withTracker((t, r) => {
      const a = t.begin(0, 0);
      t.closed(a);
      expect(counts(r)).toEqual(tally({ sent: 1 }));
      t.finish();
      expect(counts(r)).toEqual(tally({ sent: 1, unanswered: 1 }));
    });
  });

  type Step = 'connect' | 'bytes' | 'peerClose' | 'ourClose' | 'refuseTimeout' | 'refuseOther';
  type Outcome = 'ok' | 'failed' | 'timeouts' | 'unanswered';

  test.prop([
    fc.integer({ min: 1, max: 8 }),
    fc.array(fc.record({ attempt: fc.nat(7), step: fc.constantFrom<Step>('connect', 'bytes', 'peerClose', 'ourClose', 'refuseTimeout', 'refuseOther') }), { maxLength: 40 }),
    fc.array(fc.record({ attempt: fc.nat(7), step: fc.constantFrom<Step>('connect', 'bytes', 'peerClose', 'ourClose', 'refuseTimeout', 'refuseOther') }), { maxLength: 10 }),
  ])('every attempt counted exactly once, as a plain model says, whatever the order of events', (n, before, after) => {
    withTracker((t, r) => {
      const attempts = Array.from({ length: n }, (_, i) => ({
        attempt: t.begin(i, i + 0.25) as ConnectAttempt, link: null as FakeLink | null, refused: false, outcome: null as Outcome | null, lateCloses: 0,
      }));
      let finished = false;
      const run = (i: number, step: Step): void => {
        const a = attempts[i % n]!;
        // Only what a socket can do: connect once unless refused, bytes and one close on a connected link.
        switch (step) {
          case 'connect':
            if (a.link || a.refused) return;
            a.link = new FakeLink();
            t.connected(a.attempt, a.link.link, i + 1);
            if (a.outcome !== null) a.lateCloses++;
            return;
          case 'bytes':
            if (!a.link || a.link.closed) return;
            a.link.bytes();
            if (a.outcome === null) a.outcome = 'ok';
            return;
          case 'peerClose':
          case 'ourClose':
            if (!a.link || a.link.closed) return;
            if (step === 'peerClose') a.link.peerClose(); else a.link.ourClose();
            t.closed(a.attempt);
            if (a.outcome === null) a.outcome = step === 'peerClose' && !a.link.answered ? 'failed' : 'ok';
            return;
          case 'refuseTimeout':
          case 'refuseOther':
            if (a.link || a.refused) return;
            a.refused = true;
            t.refused(a.attempt, step === 'refuseTimeout' ? errno('ETIMEDOUT', 'timed out') : errno('ECONNREFUSED', 'refused'));
            if (a.outcome === null) a.outcome = step === 'refuseTimeout' ? 'timeouts' : 'failed';
            return;
        }
      };
      for (const s of before) run(s.attempt, s.step);
      t.finish();
      finished = true;
      for (const a of attempts) {
        if (a.outcome !== null) continue;
        if (!a.link) a.outcome = 'unanswered';
        else if (!a.link.closed) a.outcome = 'ok';
        else a.outcome = a.link.closedByPeer && !a.link.answered ? 'failed' : 'ok';
      }
      for (const s of after) run(s.attempt, s.step);
      expect(finished).toBe(true);
      const expected = tally({ sent: n });
      for (const a of attempts) expected[a.outcome!] += 1;
      const got = counts(r)!;
      expect(got).toEqual(expected);
      expect(got.sent).toBe(got.ok + got.failed + got.timeouts + got.unanswered);
      for (const a of attempts) expect(a.link?.closeCalls ?? 0).toBe(a.lateCloses);
    });
  });
});
