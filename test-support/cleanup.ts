// Closing what a test started when that test ends, pass or fail. Registered on the test's own
// context, so it holds for tests that run concurrently (test.concurrent), where a file-wide afterEach
// would close, at the end of one test, what another still uses.
import type { TestContext } from 'vitest';

export interface Closable {
  close(): Promise<void>;
}

/** `keep(thing)` returns `thing`, closed when the test of `context` finishes (the last kept first). */
export function keeper(context: Pick<TestContext, 'onTestFinished'>): <T extends Closable>(thing: T) => T {
  return (thing) => {
    context.onTestFinished(() => thing.close());
    return thing;
  };
}

/** Polls `probe` every 20 ms until it holds; fails after `timeoutMs`, naming `what`. */
export async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
