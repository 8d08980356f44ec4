// Worker entry: runs the one case named in workerData and posts its Measurement back. Only plain data
// crosses the thread boundary: the case's key and the timing options in, a Measurement or an error
// code and message out (structured clone drops error classes).
import { parentPort, workerData } from 'node:worker_threads';
import { allCases, caseKey } from './cases.js';
import { type Measurement, type TimingOptions, measure } from './timing.js';

export interface CaseTask {
  key: string;
  timing: TimingOptions;
}

export type CaseOutcome =
  | { ok: true; measurement: Measurement }
  | { ok: false; code: string; message: string };

function run(task: CaseTask): CaseOutcome {
  const benchCase = allCases().find((c) => caseKey(c) === task.key);
  if (!benchCase) return { ok: false, code: 'UNKNOWN_CASE', message: `no case named "${task.key}"` };
  try {
    return { ok: true, measurement: measure(benchCase, task.timing) };
  } catch (err) {
    const e = err as Error & { code?: unknown };
    return { ok: false, code: typeof e.code === 'string' ? e.code : 'CASE_FAILED', message: e.stack ?? String(err) };
  }
}

if (!parentPort) throw new Error('case-worker.ts runs in a worker thread; start the benchmark with run.ts');
parentPort.postMessage(run(workerData as CaseTask));
