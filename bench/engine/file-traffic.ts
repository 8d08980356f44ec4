// File traffic end to end, as the original client does it: a user uploads a file over TCP to a friend
// (UploadFileRequest with ToUserID); the friend learns of it from its file list, polled every
// --file-list-interval, and downloads it over HTTP from the list's URL (or under --http). Each
// download is checked byte for byte against what was uploaded: `file` delivered, lost, corrupted,
// counted like chats; `download` timed per request, `file.e2e` from the upload's scheduled time to
// the download's end (so it includes the polling interval) [D-METRICS].
import { MessageId, decodeMessage, type MessageFields } from '../../proto/index.js';
import type { UserSpec } from '../model/population.js';
import { monoMs } from '../../util/clock.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { parseUploadName, uploadContent, uploadName, type UploadStamp } from './file-content.js';
import { Downloader, downloadUrl } from './http-downloads.js';
import { accountedSeq } from './messaging.js';
import type { ScenarioContext } from './scenario-context.js';

interface Expected {
  stamp: UploadStamp;
  scheduledMs: number;
  sentMs: number;
  /** A download has been started (one per file: a failed one leaves the file lost). */
  started: boolean;
}

export class FileTraffic {
  private readonly ledger: DeliveryLedger;
  private readonly downloader = new Downloader();
  /** Accounted uploads not yet downloaded, by file name. */
  private readonly expected = new Map<string, Expected>();
  /** Per receiver, how many of `expected` are addressed to it. */
  private readonly waitingAt = new Map<number, number>();
  private ended = false;

  constructor(private readonly ctx: ScenarioContext, private readonly runTag: number, private readonly seed: string, private readonly httpBase: string | null) {
    this.ledger = new DeliveryLedger('file', ctx.recorder, false);
  }

  /** The request for upload number `index` of `from` to `to`, `size` bytes, due at `dueMs`. */
  upload(from: UserSpec, to: UserSpec, index: number, size: number, dueMs: number): MessageFields<typeof MessageId.UploadFileRequest> {
    const sentMs = monoMs();
    const seq = accountedSeq(this.ctx, this.ledger, 'file.e2e', from.index, to.index, dueMs, sentMs);
    const accounted = seq > 0;
    const stamp: UploadStamp = { run: this.runTag, from: from.index, to: to.index, index, seq, size };
    const fileName = uploadName(stamp);
    if (accounted) {
      this.expected.set(fileName, { stamp, scheduledMs: dueMs, sentMs, started: false });
      this.waitingAt.set(to.index, (this.waitingAt.get(to.index) ?? 0) + 1);
    }
    return { FromUserID: from.name, ToUserID: to.name, UserType: 0, fileName, Data: uploadContent(stamp, this.seed) };
  }

  /** Files addressed to `receiver` not yet downloaded: it keeps polling its list in the grace window for them. */
  waitingFor(receiver: number): boolean {
    return (this.waitingAt.get(receiver) ?? 0) > 0;
  }

  /** A GetFileListResponse of `me`: downloads of the files sent to it that it has not fetched yet. */
  listed(me: UserSpec, body: Uint8Array): void {
    if (this.ended) return;
    let list;
    try {
      list = decodeMessage(MessageId.GetFileListResponse, body).FileList;
    } catch {
      return;   // counted as the file list's failure by its Result already (an undecodable reply has none)
    }
    for (const entry of list) {
      const stamp = parseUploadName(entry.FileName ?? '');
      if (!stamp || stamp.run !== this.runTag || stamp.to !== me.index || stamp.seq === 0) continue;
      const expected = this.expected.get(entry.FileName ?? '');
      if (!expected || expected.started) continue;
      expected.started = true;
      void this.download(entry.FileName ?? '', expected, entry.DownUrl ?? '');
    }
  }

  private async download(name: string, expected: Expected, serverUrl: string): Promise<void> {
    const { recorder, task } = this.ctx;
    const { from, to, seq } = expected.stamp;
    // Started the moment the file list names the file, which is when it is due: no lag.
    recorder.sent('download', 0);
    let url: URL;
    try {
      url = downloadUrl(serverUrl, this.httpBase);
    } catch {
      recorder.failed('download', 'bad URL', `the file list gave ${JSON.stringify(serverUrl)} as its address`);
      return;
    }
    const started = monoMs();
    const outcome = await this.downloader.get(url, task.timeoutMs);
    if (this.ended) return;   // settled: counted unanswered
    const now = monoMs();
    this.done(name, to);
    if (outcome.kind === 'error') {
      if (outcome.timedOut) recorder.count('download', 'timeouts');
      else recorder.failed('download', outcome.reason, `GET ${url.href}`);
      return;
    }
    if (outcome.status !== 200) {
      recorder.failed('download', `HTTP ${outcome.status}`, `GET ${url.href}`);
      return;
    }
    recorder.latency('download', now - started, now - started, now);
    recorder.downloaded(outcome.body.length);
    if (Buffer.compare(outcome.body, uploadContent(expected.stamp, this.seed)) !== 0) {
      this.ledger.corrupted(from, to, seq);
      return;
    }
    if (this.ledger.received(from, to, seq)) recorder.latency('file.e2e', now - expected.scheduledMs, now - expected.sentMs);
  }

  private done(name: string, receiver: number): void {
    if (this.expected.delete(name)) this.waitingAt.set(receiver, (this.waitingAt.get(receiver) ?? 1) - 1);
  }

  /** The end of the grace window: downloads still running are unanswered, files never fetched lost. */
  settle(): void {
    this.ended = true;
    this.ctx.recorder.count('download', 'unanswered', this.downloader.pending);
    this.downloader.destroy();
    this.ledger.settle();
  }
}
