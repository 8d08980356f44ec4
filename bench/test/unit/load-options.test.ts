// The one table of load options: flags over the scenario file over the defaults, every mistake at
// once with its flag or its file and field, the rules between settings [D-LOAD], times always with
// their unit, and a bug inside config building left a bug (exit 70, not 2) [D-EXIT].
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Command } from 'commander';
import { LOAD_OPTIONS, resolveLoadOptions, type LoadOptions } from '../../config/load-options.js';
import { DEFAULTS } from '../../config/load-config.js';
import { parseScenarioText } from '../../config/scenario-file.js';
import { declareOptions, givenWords } from '../../../cli/parse-values.js';
import { ConfigError, issueText } from '../../../util/option-table.js';
import { UsageError } from '../../../util/errors.js';

const TARGET = { target: '127.0.0.1:1' };

function resolve(given: Record<string, unknown>, yaml?: string, source = 'run.yaml'): LoadOptions {
  return resolveLoadOptions(given, yaml === undefined ? null : parseScenarioText(yaml, source));
}

function refusal(given: Record<string, unknown>, yaml?: string): ConfigError {
  try {
    resolve(given, yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('the settings were accepted');
}

const issues = (given: Record<string, unknown>, yaml?: string): string[] => refusal(given, yaml).issues.map(issueText);

/** Words as commander collects them from this command line. */
function wordsOf(argv: string[]): Record<string, unknown> {
  const command = declareOptions(new Command('load'), LOAD_OPTIONS).exitOverride();
  command.parse(argv, { from: 'user' });
  return givenWords(command, LOAD_OPTIONS);
}

describe('the defaults', () => {
  test('a target alone: every other setting is its default', () => {
    const { config, processes, sourceAddresses, out, quiet, targetScryptCost } = resolve(TARGET);
    expect(config).toMatchObject({
      scenario: 'users', protocol: 'im', targets: [{ host: '127.0.0.1', port: 1 }], users: DEFAULTS.users,
      rampUpMs: 0, warmupMs: 0, durationMs: 10_000, timeoutMs: 5000, graceMs: 2000, heartbeatIntervalMs: 10_000,
      rate: null, inflight: null, rates: DEFAULTS.rates, uploadBytes: DEFAULTS.uploadBytes, chatBytes: 64, unanswered: [],
      fileListIntervalMs: 1000, httpBase: null, reconnect: DEFAULTS.reconnect, layout: 'le', maxBodyBytes: 16 * 2 ** 20,
      seed: 'talkbench', shard: { index: 1, count: 1 }, overload: DEFAULTS.overload, processes: 1,
    });
    expect(config.thresholds.map((t) => t.source)).toEqual(['errors==0']);
    expect({ processes, sourceAddresses, out, quiet, targetScryptCost }).toEqual({ processes: null, sourceAddresses: undefined, out: null, quiet: false, targetScryptCost: null });
  });

  test('ping warms up for 1s by default [D-LOAD]', () => {
    expect(resolve({ ...TARGET, scenario: 'ping' }).config.warmupMs).toBe(1000);
  });
});

describe('flags and the scenario file', () => {
  const FILE = [
    'target: [127.0.0.1:1, 127.0.0.1:2]', 'users: 10', 'duration: 2m', 'timeout: 250ms', 'rampUp: 0', 'groupSize: 2',
    'uploadSize: { min: 1KiB, max: 64KiB }', 'rates: { chat: 0.5, fileList: 1, userInfo: 0.2 }', 'seed: from-file',
    'thresholds: [chat.lost==0]', 'unanswered: [userinfo]', 'overload: { lateStart: 20ms, eventLoopP99: 0.1s }', '',
  ].join('\n');

  test('the file sets the run, with its units', () => {
    const { config } = resolve({}, FILE);
    expect(config).toMatchObject({
      targets: [{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: 2 }], users: 10, durationMs: 120_000, timeoutMs: 250,
      rampUpMs: 0, groupSize: 2, uploadBytes: { min: 1024, max: 65536 }, seed: 'from-file', unanswered: ['userinfo'],
      rates: { ...DEFAULTS.rates, chat: 0.5, fileList: 1, userInfo: 0.2 },
      overload: { ...DEFAULTS.overload, lateStartMs: 20, eventLoopP99Ms: 100 },
    });
  });

  test('a flag given overrides the file; thresholds from both apply, the file’s first', () => {
    const { config } = resolve(wordsOf(['--users', '6', '--duration', '1s', '--chat-rate', '2', '--threshold', 'login.ok==6', '--no-default-thresholds']), FILE);
    expect(config).toMatchObject({ users: 6, durationMs: 1000, timeoutMs: 250, seed: 'from-file', rates: { chat: 2, fileList: 1 } });
    expect(config.thresholds.map((t) => t.source)).toEqual(['chat.lost==0', 'login.ok==6']);
  });

  test('JSON too, and uploadSize as a size or a range', () => {
    const json = (text: string) => resolveLoadOptions({}, parseScenarioText(text, 'run.json')).config;
    expect(json('{"target": "127.0.0.1:1", "uploadSize": 4096, "timeout": "1.5s"}')).toMatchObject({ uploadBytes: { min: 4096, max: 4096 }, timeoutMs: 1500 });
    expect(json('{"target": "127.0.0.1:1", "uploadSize": "1KiB-4KiB"}').uploadBytes).toEqual({ min: 1024, max: 4096 });
  });

  test('flags are read as commander collects them: repeated thresholds, a negated switch', () => {
    expect(wordsOf(['--target', '127.0.0.1:9', '--threshold', 'a', '--threshold', 'b', '--no-default-thresholds', '--quiet']))
      .toEqual({ target: '127.0.0.1:9', threshold: ['a', 'b'], defaultThresholds: false, quiet: true });
    // Defaults shown in help are not words the user gave.
    expect(wordsOf([])).toEqual({});
  });
});

describe('every mistake at once, each naming its flag or its field', () => {
  test('a file with several bad fields, and bad flags beside it', () => {
    const file = [
      'target: 127.0.0.1:1', 'users: 0', 'duration: 10000', 'rates: { chat: fast, chats: 1 }', 'uploadSize: { min: 64KiB, max: 1KiB }',
      'thresholds: [heartbeat.p99<20, chat.lost==0]', 'layout: little', 'overload: { lateStartMs: 10 }', 'usres: 3', '',
    ].join('\n');
    const err = refusal(wordsOf(['--timeout', '5', '--group-size', 'many', '--shard', '3/2']), file);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe('BAD_CONFIG');
    expect(err.exitCode).toBe(2);
    const found = err.issues.map(issueText);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^run\.yaml: users: give a whole number ≥ 1$/),
      expect.stringMatching(/^run\.yaml: duration: give a unit, e\.g\. 10000ms /),
      expect.stringMatching(/^run\.yaml: rates\.chat: give chats .* a number ≥ 0/),
      'run.yaml: rates: unknown field "chats": did you mean "chat"?',
      expect.stringMatching(/^run\.yaml: uploadSize: the range runs from small to large/),
      expect.stringMatching(/^run\.yaml: thresholds\[0\]: threshold "heartbeat\.p99<20": heartbeat\.p99 is a time; give its unit/),
      'run.yaml: layout: "little" is not one of le, be',
      'run.yaml: overload: unknown field "lateStartMs": did you mean "lateStart"?',
      'run.yaml: unknown field "usres": did you mean "users"?',
      expect.stringMatching(/^--timeout 5: give a unit, e\.g\. 5s /),
      '--group-size many: give a whole number ≥ 1',
      expect.stringMatching(/^--shard 3\/2: use i\/N/),
    ]));
    expect(found).toHaveLength(12);
    expect(err.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['users', 'rates.chat', 'thresholds[0]', '--timeout', '--shard']));
    // One message lists them all, one per line.
    expect(err.message.split('\n')[0]).toBe('12 settings to fix:');
    expect(err.message.split('\n')).toHaveLength(13);
  });

  test('a file’s bad field is reported even when a flag overrides it: the file is checked whole', () => {
    expect(issues({ ...TARGET, duration: '1s' }, 'duration: 10\n')).toEqual([expect.stringMatching(/^run\.yaml: duration: give a unit, e\.g\. 10ms/)]);
  });

  test('one mistake is one line', () => {
    expect(refusal({ ...TARGET, duration: '10' }).message).toBe('--duration 10: give a unit, e.g. 10s (a time takes us, ms, s, m or h; only 0 needs none)');
  });

  test.each([
    ['--duration', { duration: '10' }, '--duration 10: give a unit, e.g. 10s'],
    ['--ramp-up', { rampUp: '5' }, '--ramp-up 5: give a unit, e.g. 5s'],
    ['--warmup', { warmup: '1.5' }, '--warmup 1.5: give a unit, e.g. 1.5s'],
    ['--heartbeat-interval', { heartbeatInterval: '10' }, '--heartbeat-interval 10: give a unit, e.g. 10s'],
    ['--grace', { grace: '2' }, '--grace 2: give a unit, e.g. 2s'],
    ['--away-time', { awayTime: '1' }, '--away-time 1: give a unit, e.g. 1s'],
    ['--file-list-interval', { fileListInterval: '1' }, '--file-list-interval 1: give a unit, e.g. 1s'],
  ])('a bare time on %s is refused with the fix', (_flag, given, fix) => {
    expect(issues({ ...TARGET, ...given })).toEqual([expect.stringContaining(fix)]);
  });

  test('0 needs no unit', () => {
    expect(resolve({ ...TARGET, rampUp: '0', grace: '0' }, 'warmup: 0\n').config).toMatchObject({ rampUpMs: 0, graceMs: 0, warmupMs: 0 });
  });

  test.each([
    [{ duration: '0s' }, '--duration 0s: give a time longer than 0'],
    [{ heartbeatInterval: '0' }, '--heartbeat-interval 0: give a time longer than 0'],
    [{ duration: 'soon' }, '--duration: "soon" is not a duration'],
    [{ users: '0' }, '--users 0: give a whole number ≥ 1'],
    [{ users: '1.5' }, '--users 1.5: give a whole number ≥ 1'],
    [{ chatRate: '-1' }, '--chat-rate -1: give chats'],
    [{ chatSize: 'big' }, '--chat-size: "big" is not a size'],
    [{ uploadSize: '64KiB-1KiB' }, '--upload-size 64KiB-1KiB: the range runs from small to large'],
    [{ protocol: 'xmpp' }, '--protocol: "xmpp" is not one of im, chat'],
    [{ http: 'ftp://x' }, '--http: "ftp://x": use an http:// or https:// URL'],
    [{ unanswered: 'heartbeat,login' }, '--unanswered heartbeat,login: only heartbeat, userinfo, filelist may be unanswered, not "login"'],
    [{ sourceAddresses: '300' }, '--source-addresses 300: give 1 to 254'],
    [{ sourceAddresses: '127.0.0.1,nowhere' }, '--source-addresses 127.0.0.1,nowhere: "nowhere": not an IP address'],
    [{ target: '127.0.0.1' }, '--target: "127.0.0.1" is not a target'],
    [{ threshold: ['chat.lost==0', 'chat.e2e.p98<5ms'] }, '--threshold: threshold "chat.e2e.p98<5ms": unknown metric'],
  ])('%j: %s', (given, message) => {
    expect(issues({ ...TARGET, ...given })).toEqual([expect.stringContaining(message)]);
  });

  test('no target anywhere', () => {
    expect(issues({})).toEqual(['--target: no target: give --target host:port (or target in the scenario file)']);
  });

  test('a file that cannot be read or parsed is one issue, and no "no target" beside it', () => {
    expect(refusal({ users: '0' }, 'users: [1,\n').issues.map(issueText)).toEqual([
      expect.stringMatching(/^run\.yaml: not valid YAML: /), '--users 0: give a whole number ≥ 1',
    ]);
    expect(issues({}, '- users: 1\n')).toEqual([expect.stringMatching(/^run\.yaml: give a mapping of settings/)]);
    expect(issues(TARGET, 'rates: 5\n')).toEqual([expect.stringMatching(/^run\.yaml: rates: give a mapping of chat, upload/)]);
  });
});

describe('rules between settings [D-LOAD], reported with the rest', () => {
  test.each([
    [{ inflight: '4' }, '', '--inflight: applies to --scenario ping alone [D-LOAD]'],
    [{}, 'ping: { inflight: 4 }\n', 'run.yaml: ping.inflight: applies to --scenario ping alone [D-LOAD]'],
    [{ rate: '100' }, '', '--rate: applies to --scenario ping'],
    [{ scenario: 'ping', rate: '100', inflight: '2' }, '', '--inflight: --rate (open model) and --inflight (closed model) exclude each other'],
    [{ scenario: 'ping', protocol: 'chat' }, '', '--scenario: the ping scenario speaks the IM protocol only'],
    [{ scenario: 'ping', unanswered: 'heartbeat' }, '', '--unanswered: the ping scenario times heartbeat replies'],
    [{ protocol: 'chat', reconnectRate: '0.1' }, '', '--reconnect-rate: applies to IM users'],
    [{ reconnectRate: '0.1', duration: '1s' }, '', '--away-time: must be shorter than --duration'],
    [{ reconnectRate: '0.1' }, 'duration: 1s\nawayTime: 2s\n', 'run.yaml: awayTime: must be shorter than --duration'],
  ])('%j %j: %s', (given, yaml, message) => {
    expect(issues({ ...TARGET, ...given }, yaml === '' ? undefined : yaml)).toEqual([expect.stringContaining(message)]);
  });

  test('a rule about a setting that failed is not checked on its default', () => {
    // --duration failed: the away-time rule would otherwise compare with the default 10s, or worse.
    expect(issues({ ...TARGET, reconnectRate: '0.1', awayTime: '20s', duration: 'x' })).toEqual([expect.stringContaining('--duration: "x" is not a duration')]);
  });

  test('rules and bad values together', () => {
    expect(issues({ ...TARGET, inflight: '4', users: '0' })).toEqual(['--users 0: give a whole number ≥ 1', '--inflight: applies to --scenario ping alone [D-LOAD]']);
  });
});

describe('a bug inside config building stays a bug [D-EXIT 70]', () => {
  test('an unexpected error is not turned into a usage error', () => {
    const given = { ...TARGET };
    Object.defineProperty(given, 'users', { enumerable: true, get: () => { throw new TypeError('a planted bug'); } });
    expect(() => resolveLoadOptions(given, null)).toThrow(TypeError);
    try {
      resolveLoadOptions(given, null);
    } catch (err) {
      expect(err).not.toBeInstanceOf(UsageError);
    }
  });
});

describe('one table, documented', () => {
  const scenarioDoc = readFileSync(new URL('../../../docs/SCENARIO.md', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const specs = Object.entries(LOAD_OPTIONS);

  test('docs/SCENARIO.md names every field of the scenario file', () => {
    const missing = specs.map(([, s]) => s.file).filter((f): f is string => f !== null).filter((field) => !scenarioDoc.includes(`\`${field}\``));
    expect(missing).toEqual([]);
  });

  test('the example of docs/SCENARIO.md is a valid scenario', () => {
    const example = /Example \(`scenario\.yaml`\):\n\n```yaml\n([^`]*)```/.exec(scenarioDoc)?.[1];
    expect(example).toBeDefined();
    expect(resolve({}, example, 'scenario.yaml').config).toMatchObject({ users: 2000, rampUpMs: 10_000, durationMs: 60_000, uploadBytes: { min: 1024, max: 256 * 1024 } });
  });

  test('the README names every flag of load', () => {
    const missing = specs.map(([, s]) => s.flag).filter((f): f is string => f !== null).filter((flag) => !readme.includes(`\`${flag}`));
    expect(missing).toEqual([]);
  });

  test('each key is commander’s name for its flag, so the words given find their entry', () => {
    const command = declareOptions(new Command('load'), LOAD_OPTIONS);
    for (const [key, spec] of specs) {
      if (spec.flag !== null) expect(command.options.find((o) => o.long === spec.flag)?.attributeName(), spec.flag).toBe(key);
    }
  });
});
