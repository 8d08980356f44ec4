// How a check says what it saw [D-CONFORM]. A check passes by returning; it fails, times out or skips
// by throwing one of these. Anything else it throws is ERROR: the harness or the connection failed,
// not the server's answer, so the report never blames a server for a bug of the suite.

/** The server answered, and the answer breaks the requirement. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
  constructor(readonly expected: string, readonly got: string) {
    super(`expected ${expected}; got ${got}`);
  }
}

/** The expected frame or line did not come in time. `expected` says what, `got` what came instead. */
export class CheckTimedOut extends Error {
  override readonly name = 'CheckTimedOut';
  constructor(readonly expected: string, readonly got: string) {
    super(`expected ${expected}; got ${got}`);
  }
}

/** The check cannot be run against this target (a reply the user said it never sends, a flag not given). */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Fails the check unless `condition` holds. */
export function expectThat(condition: boolean, expected: string, got: () => string): asserts condition {
  if (!condition) throw new CheckFailed(expected, got());
}
