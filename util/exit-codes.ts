// Every exit code of the CLI, in one place [D-EXIT]. When several apply, PRECEDENCE decides.

export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  unreachable: 3,
  targetFailed: 4,
  overloaded: 5,
  regression: 6,
  /** A bug of talkbench (or `serve` failing to shut down cleanly): the message says so. */
  internal: 70,
  thresholdCrossed: 99,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The first of this order wins: a bug or a usage error hides everything; an untrustworthy run (4, 5)
 * outranks what it measured.
 */
const PRECEDENCE: readonly ExitCode[] = [70, 2, 130, 3, 4, 5, 99, 1, 6];

export function worstExit(codes: readonly ExitCode[]): ExitCode {
  for (const code of PRECEDENCE) if (codes.includes(code)) return code;
  return EXIT.ok;
}
