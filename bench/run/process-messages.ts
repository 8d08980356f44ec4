// What a parent and its generator child processes say over the IPC channel (--processes N).
import type { LoadConfig } from '../config/load-config.js';
import type { ProgressMessage } from '../worker/task.js';
import type { LoadResult } from './result.js';

export type ToChild =
  | { kind: 'run'; config: LoadConfig; workerOffset: number; version: string }
  | { kind: 'go'; startMs: number }
  /** `signal`: the user interrupted the run; otherwise another process saw the target fail. */
  | { kind: 'stop'; reason: string; signal: boolean };

export type ToParent =
  | { kind: 'ready' }
  | { kind: 'progress'; message: ProgressMessage }
  | { kind: 'target-failed'; reason: string }
  | { kind: 'result'; result: LoadResult };
