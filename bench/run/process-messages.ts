// What a parent and its generator child processes say over the IPC channel (--processes N), and the
// environment a child is started with.
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
  /** The last message of a child: it exits once this has been written to the channel. */
  | { kind: 'result'; result: LoadResult };

/**
 * The parent's pid, set by the parent in the child's environment: a child whose parent is not this
 * one (it died before the child started, and the child was reparented) exits at once.
 */
export const PARENT_PID_ENV = 'TALKBENCH_GENERATOR_PARENT_PID';

/**
 * Test hook, for the lifecycle tests only: `P:FAULT` makes generator process P (from 1) misbehave.
 * `exit-before-result`: exit 0 instead of sending its result (a lost result). `ignore-stop`: take no
 * notice of a relayed stop (a child that does not report in time).
 */
export const FAULT_ENV = 'TALKBENCH_TEST_GENERATOR_FAULT';
export type GeneratorFault = 'exit-before-result' | 'ignore-stop';

/** The fault the test hook asks of generator process `index`, if any. */
export function faultFor(index: number, value: string | undefined): GeneratorFault | null {
  const match = /^(\d+):(exit-before-result|ignore-stop)$/.exec(value ?? '');
  return match && Number(match[1]) === index ? (match[2] as GeneratorFault) : null;
}
