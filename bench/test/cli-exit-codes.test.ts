// [D-EXIT] at the CLI's edge: a setting the machine cannot honour is a usage error (2); anything
// unexpected is a bug of talkbench (70), said so, with its stack.
import { afterEach, describe, expect, test } from 'vitest';
import { runTalkbench } from '../../test-support/talkbench-cli.js';

afterEach(() => { delete process.env.TALKBENCH_TEST_CLI_FAULT; });

describe('the CLI exit codes', () => {
  test('an unexpected error exits 70, says it is a bug and prints the stack', async () => {
    process.env.TALKBENCH_TEST_CLI_FAULT = 'internal-error';
    const { code, stderr } = await runTalkbench(['load', '--target', '127.0.0.1:1']).done;
    expect(code).toBe(70);
    expect(stderr).toMatch(/internal error, a bug of talkbench/);
    expect(stderr).toMatch(/\n\s+at .*main\.ts/);
  });

  test('a setting the machine cannot honour exits 2 with the system\'s reason', async () => {
    const { code, stderr } = await runTalkbench(['serve', '--data', '/etc/passwd', '--im-port', '0', '--chat-port', '0', '--http-port', '0']).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/EEXIST|ENOTDIR/);
    expect(stderr).not.toMatch(/a bug of talkbench/);
  });
});
