// Runs each case in a fresh worker thread, that is a fresh V8 isolate. Measured in one process, a case
// inherits the JIT feedback of the cases before it (while this benchmark was being written,
// formatChatLine on BROADCAST measured 3 times slower right after the SEND case than alone), so a
// figure depended on its place in the list and would move whenever a case was added. A worker per
// case costs about 0.2 s to start and makes every figure independent of the others.
import { Worker } from 'node:worker_threads';
import type { CaseOutcome, CaseTask } from './case-worker.js';
import type { Measurement } from './timing.js';

export class CaseFailedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ENTRY = new URL('./case-worker.ts', import.meta.url).href;
// On Node 20 a worker does not get the `--import tsx` hooks of its parent, so its first act is to
// register them (tsx's own API, resolved from here), then it imports the TypeScript entry.
const TSX_API = import.meta.resolve('tsx/esm/api');
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY)}); })`;

export function measureInWorker(task: CaseTask): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    let outcome: CaseOutcome | null = null;
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: task });
    worker.once('message', (message: CaseOutcome) => { outcome = message; });
    worker.once('error', reject);
    // 'exit' comes last, after the message and after any 'error' (then this second settle is a no-op).
    worker.once('exit', (exitCode) => {
      if (outcome === null) reject(new CaseFailedError('WORKER_EXITED', `${task.key}: worker exited with code ${exitCode} before reporting`));
      else if (outcome.ok) resolve(outcome.measurement);
      else reject(new CaseFailedError(outcome.code, `${task.key}: ${outcome.message}`));
    });
  });
}
