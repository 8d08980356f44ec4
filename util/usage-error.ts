// An error that is the user's to fix (a setting, a file), not a bug: the CLI prints its message and
// exits 2 [D-EXIT]. Anything thrown that is neither this nor a system error is a bug (exit 70).
import { EXIT } from './exit-codes.js';

export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}
