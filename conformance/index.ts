// The conformance suite as a library [D-LAYOUT-REPO]: the catalogue, the runner and its verdicts, for
// tools that run checks their own way. `talkbench/conformance/vitest` wraps them as vitest tests.
export { CATALOGUE, checksOf } from './catalogue/catalogue.js';
export type { CheckDefinition, Level, Outcome, UnansweredReply } from './catalogue/check.js';
export { runChecks, type CheckResult, type ChecksRun, type RunChecksOptions } from './run/run-checks.js';
export { selectChecks } from './run/select-checks.js';
export { failingChecks, suiteExitCode } from './run/suite-verdict.js';
export { preflight, liveness } from './run/preflight.js';
