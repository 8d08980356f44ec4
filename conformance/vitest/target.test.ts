// The `conformance` vitest project: the suite against the target named in TALKBENCH_TARGET
// (`TALKBENCH_TARGET=127.0.0.1:8999 npx vitest run --project conformance`); TALKBENCH_PROTOCOL=chat
// for a CHAT/1.0 target. Without the variable it says so in one skipped test.
import { conformanceSuite } from './conformance-suite.js';

conformanceSuite({ protocol: process.env.TALKBENCH_PROTOCOL === 'chat' ? 'chat' : 'im' });
