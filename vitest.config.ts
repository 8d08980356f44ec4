import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two files at a time (the default is one less than the cores: a single file on a 2-core
    // machine). The integration tests spend most of their time waiting on the generator's timers and
    // its child processes, so a second file fills the idle core; more would starve the generator runs
    // of CPU (their own verdict then says overloaded, exit 5). Tests marked concurrent within a file
    // run at most maxConcurrency (default 5) at a time.
    maxWorkers: 2,
    projects: [
      // The project's own tests.
      { extends: true, test: { name: 'talkbench', include: ['**/test/**/*.test.ts'], exclude: ['node_modules/**'] } },
      // The conformance suite against TALKBENCH_TARGET (docs/CONFORMANCE.md): one skipped test without it.
      { extends: true, test: { name: 'conformance', include: ['conformance/vitest/*.test.ts'] } },
    ],
  },
});
