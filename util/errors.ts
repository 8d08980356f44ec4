// The one base of talkbench's own errors. Each carries a stable `code` (what tests and other threads
// compare, since structured clone drops classes) and, when it decides how the CLI ends, an `exitCode`
// [docs/DECISIONS.md D-EXIT]; `cli/main.ts` maps them. Anything thrown that is neither one of these
// nor a system error is a bug of talkbench (exit 70). The protocol core's errors (proto/errors.ts)
// stay apart: proto/ imports nothing of the other parts.
import { EXIT, type ExitCode } from './exit-codes.js';

export class TalkbenchError extends Error {
  constructor(readonly code: string, message: string, readonly exitCode?: ExitCode) {
    super(message);
    this.name = new.target.name;
  }
}

/** The user's to fix (a flag, a file, a setting this machine cannot honour), not a bug: exit 2. */
export class UsageError extends TalkbenchError {
  constructor(message: string, code = 'USAGE') {
    super(code, message, EXIT.usage);
  }
}
