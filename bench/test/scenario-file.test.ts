// Scenario files: read, checked whole against the one table of load options, with every mistake
// naming the file and the field; flags override them.
import { afterAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { parseScenarioText, readScenarioFile } from '../config/scenario-file.js';
import { resolveLoadOptions } from '../config/load-options.js';
import { ConfigError, issueText } from '../../util/option-table.js';
import { startTestServer } from '../../test-support/test-server.js';
import { load, startCli, tempFile, expectPassed, removeTempFiles } from '../../test-support/cli-run.js';

afterAll(() => removeTempFiles());

function fileIssues(text: string, source = 'run.yaml'): string[] {
  try {
    resolveLoadOptions({ target: '127.0.0.1:1' }, parseScenarioText(text, source));
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(issueText);
    throw err;
  }
  return [];
}

describe('a scenario file', () => {
  test('YAML and JSON with times, sizes and rates', () => {
    expect(parseScenarioText('target: [127.0.0.1:1, 127.0.0.1:2]\nduration: 2m\nuploadSize: { min: 1KiB, max: 64KiB }\nrates: { chat: 0.5 }\n', 'a.yaml'))
      .toEqual({ source: 'a.yaml', data: { target: ['127.0.0.1:1', '127.0.0.1:2'], duration: '2m', uploadSize: { min: '1KiB', max: '64KiB' }, rates: { chat: 0.5 } } });
    const { config } = resolveLoadOptions({}, parseScenarioText('{"target": "127.0.0.1:1", "users": 10, "timeout": "250ms"}', 'b.json'));
    expect(config).toMatchObject({ users: 10, timeoutMs: 250 });
  });

  test.each([
    ['an unknown field', 'usres: 10\n', /^run\.yaml: unknown field "usres": did you mean "users"\?$/],
    ['an unknown nested field', 'rates: { chats: 1 }\n', /^run\.yaml: rates: unknown field "chats"/],
    ['a negative rate', 'rates: { chat: -1 }\n', /^run\.yaml: rates\.chat: give chats/],
    ['a bad duration', 'duration: soon\n', /^run\.yaml: duration: "soon" is not a duration/],
    ['a bare time, which meant milliseconds here', 'timeout: 250\n', /^run\.yaml: timeout: give a unit, e\.g\. 250ms/],
    ['a bad size', 'chatSize: big\n', /^run\.yaml: chatSize: "big" is not a size/],
    ['a wrong type', 'users: many\n', /^run\.yaml: users: give a whole number ≥ 1/],
    ['an empty value', 'duration:\n', /^run\.yaml: duration: give a time with its unit/],
    ['broken YAML', 'users: [1,\n', /^run\.yaml: not valid YAML/],
  ])('%s is refused with the field named', (_what, text, message) => {
    expect(fileIssues(text)).toEqual([expect.stringMatching(message)]);
  });

  test('broken JSON', () => {
    expect(fileIssues('{"users": 1,', 'b.json')).toEqual([expect.stringMatching(/^b\.json: not valid JSON/)]);
  });

  test('an empty file sets nothing', () => {
    expect(fileIssues('')).toEqual([]);
  });

  test('a file that is not there names the flag', async () => {
    expect(await readScenarioFile('/nonexistent/run.yaml')).toEqual({
      field: '--scenario-file', where: '--scenario-file /nonexistent/run.yaml', message: 'cannot read the scenario file: no such file',
    });
  });
});

describe('load --scenario-file', () => {
  test('a bad file exits 2 before anything connects, with every mistake and the flags’ too', async () => {
    const file = await tempFile('bad.yaml');
    await writeFile(file, 'target: 127.0.0.1:1\nrates: { chat: fast }\ntimeout: 250\n');
    const { code, stderr } = await startCli(['load', '--scenario-file', file, '--duration', '10']).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/^talkbench load: 3 settings to fix:$/m);
    expect(stderr).toMatch(/bad\.yaml: rates\.chat: /);
    expect(stderr).toMatch(/bad\.yaml: timeout: give a unit, e\.g\. 250ms/);
    expect(stderr).toMatch(/--duration 10: give a unit, e\.g\. 10s/);
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
