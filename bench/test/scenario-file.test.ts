// Scenario files: validated, with errors naming the file and the field; flags override them.
import { describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { parseScenarioFile } from '../config/scenario-file.js';
import { startTestServer } from '../../test-support/test-server.js';
import { load, startCli, tempFile, expectPassed } from '../../test-support/cli-run.js';

describe('parseScenarioFile', () => {
  test('YAML and JSON with durations, sizes and rates', () => {
    const yaml = parseScenarioFile('target: [127.0.0.1:1, 127.0.0.1:2]\nduration: 2m\nuploadSize: { min: 1KiB, max: 64KiB }\nrates: { chat: 0.5 }\n', 'a.yaml');
    expect(yaml).toEqual({ target: ['127.0.0.1:1', '127.0.0.1:2'], duration: 120_000, uploadSize: { min: 1024, max: 65536 }, rates: { chat: 0.5 } });
    expect(parseScenarioFile('{"users": 10, "timeout": 250}', 'b.json')).toEqual({ users: 10, timeout: 250 });
  });

  test.each([
    ['an unknown field', 'usres: 10\n', /run\.yaml: \(top level\): unknown field "usres"/],
    ['an unknown nested field', 'rates: { chats: 1 }\n', /run\.yaml: rates: unknown field "chats"/],
    ['a negative rate', 'rates: { chat: -1 }\n', /run\.yaml: rates\.chat: /],
    ['a bad duration', 'duration: soon\n', /run\.yaml: duration: "soon" is not a duration/],
    ['a bad size', 'chatSize: big\n', /run\.yaml: chatSize: "big" is not a size/],
    ['a wrong type', 'users: many\n', /run\.yaml: users: /],
    ['broken YAML', 'users: [1,\n', /run\.yaml: not valid YAML/],
  ])('%s is refused with the field named', (_what, text, message) => {
    expect(() => parseScenarioFile(text, 'run.yaml')).toThrow(message);
  });
});

describe('load --scenario-file', () => {
  test('a bad file exits 2 before anything connects', async () => {
    const file = await tempFile('bad.yaml');
    await writeFile(file, 'target: 127.0.0.1:1\nrates: { chat: fast }\n');
    const { code, stderr } = await startCli(['load', '--scenario-file', file]).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yaml: rates\.chat: /);
  });

  test('the file sets the run; a flag given overrides it; thresholds from both apply', async () => {
    const server = await startTestServer({ logLevel: 'warn' });
    try {
      const file = await tempFile('run.yaml');
      await writeFile(file, [
        `target: 127.0.0.1:${server.imPort}`, 'users: 10', 'duration: 1s', 'grace: 300ms', 'groupSize: 2',
        'rates: { chat: 2, fileList: 1 }', 'thresholds: [chat.lost==0]', 'seed: from-file', 'unanswered: [userinfo]', 'fileListInterval: 2s', '',
      ].join('\n'));
      const { code, result } = await load(['--scenario-file', file, '--users', '6', '--threshold', 'login.ok==6']);
      expectPassed(code, result);
      expect(result.config).toMatchObject({ users: 6, durationMs: 1000, groupSize: 2, seed: 'from-file', rates: { chat: 2, fileList: 1 }, unanswered: ['userinfo'], fileListIntervalMs: 2000 });
      expect(result.thresholds.map((t) => [t.threshold, t.passed])).toEqual([['errors==0', true], ['chat.lost==0', true], ['login.ok==6', true]]);
      expect(result.ops.filelist?.ok).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
