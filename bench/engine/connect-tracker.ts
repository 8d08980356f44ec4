// Counts each connection attempt exactly once [D-METRICS]: `connect.sent` when it starts; `ok` once the
// server has sent a byte on it, or when we close it ourselves (a connection that was fine but had
// nothing to answer yet); `failed` when the connect is refused, or when the server closes it before
// answering anything (the original IM server past its MaxConn accepts and closes at once: that is no
// connection); `timeouts` for a connect that timed out; `unanswered` for one still in progress when
// the run ended. The latency is the connect's own, measured when the socket connected.
import type { Recorder } from '../metrics/recorder.js';
import type { Link } from './link.js';

export interface ConnectAttempt {
  dueMs: number;
  startedMs: number;
  /** Set when the socket connected. */
  connectedMs: number | null;
  link: Link | null;
  settled: boolean;
}

export class ConnectTracker {
  private readonly attempts = new Set<ConnectAttempt>();

  constructor(private readonly recorder: Recorder) {}

  begin(dueMs: number, startedMs: number): ConnectAttempt {
    const attempt: ConnectAttempt = { dueMs, startedMs, connectedMs: null, link: null, settled: false };
    this.attempts.add(attempt);
    this.recorder.sent('connect', startedMs - dueMs);
    return attempt;
  }

  /** The socket connected: ok once the server answers on it (or we close it). */
  connected(attempt: ConnectAttempt, link: Link, nowMs: number): void {
    if (attempt.settled) { link.close(); return; }
    attempt.connectedMs = nowMs;
    attempt.link = link;
    link.onFirstBytes = () => this.ok(attempt);
  }

  /** The connect itself failed. */
  refused(attempt: ConnectAttempt, err: NodeJS.ErrnoException): void {
    if (attempt.settled) return;
    this.settle(attempt);
    if (err.code === 'ETIMEDOUT') this.recorder.count('connect', 'timeouts');
    else this.recorder.failed('connect', err.code ?? 'error', err.message);
  }

  /** Its link closed: by the server before any answer is a failed connect; anything else an ok one. */
  closed(attempt: ConnectAttempt): void {
    if (attempt.settled || !attempt.link) return;
    if (attempt.link.closedByPeer && !attempt.link.answered) {
      this.settle(attempt);
      this.recorder.failed('connect', 'closed by the server before answering', attempt.link.closeReason);
    } else {
      this.ok(attempt);
    }
  }

  /**
   * The run is over: connects still in progress are unanswered, connected links never answered but
   * still open (we close them now) are ok. Later events about them are ignored.
   */
  finish(): void {
    for (const attempt of this.attempts) {
      if (attempt.settled) continue;
      if (attempt.link && !attempt.link.closed) this.ok(attempt);
      else if (!attempt.link) { this.settle(attempt); this.recorder.count('connect', 'unanswered'); }
      else this.closed(attempt);
    }
  }

  private ok(attempt: ConnectAttempt): void {
    if (attempt.settled || attempt.connectedMs === null) return;
    this.settle(attempt);
    const at = attempt.connectedMs;
    this.recorder.latency('connect', at - attempt.dueMs, at - attempt.startedMs, at);
  }

  private settle(attempt: ConnectAttempt): void {
    attempt.settled = true;
    this.attempts.delete(attempt);
  }
}
