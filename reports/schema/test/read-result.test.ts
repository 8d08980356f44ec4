// Reading load result files across schema versions [D-SCHEMA]: real version-2 results (written by
// the talkbench before version 3, fixtures/) come through their migration with every count intact; a
// newer, an unreadable or a broken file is one usage error naming the file, the field and the versions.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FAILURE_CODES, LOAD_SCHEMA_VERSION, loadResultSchema, type LoadResult } from '../load-result.js';
import { failuresOfV2, loadResultV2Schema, MIGRATIONS, OLDEST_READABLE_VERSION } from '../migrations.js';
import { fieldPath, readLoadResult, ResultFileError } from '../read-result.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
// Written by `talkbench load` / `merge` of the commit before schema version 3 (see fixtures/README.md).
const V2_FILES = ['v2-load.json', 'v2-merged.json', 'v2-target-failed.json', 'v2-unreachable.json'] as const;

/** The error readLoadResult throws for `input`. */
function refusal(input: unknown, name = 'result.json'): ResultFileError {
  try {
    readLoadResult(input, name);
  } catch (err) {
    if (err instanceof ResultFileError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

const current = (): LoadResult => readLoadResult(fixture('v2-load.json'), 'v2-load.json');

describe('versions', () => {
  test('this talkbench writes version 4 and reads 2 to 4', () => {
    expect(LOAD_SCHEMA_VERSION).toBe(4);
    expect(OLDEST_READABLE_VERSION).toBe(2);
    // One step per version, from the oldest readable up to the current one.
    expect(MIGRATIONS.map((m) => m.from)).toEqual([2, 3]);
  });

  test('a newer version is refused: the file, the field, its version and the versions this talkbench reads', () => {
    const err = refusal({ ...current(), schemaVersion: 5, tool: { name: 'talkbench', version: '9.1.0' } }, 'results/baseline.json');
    expect(err.message).toBe('results/baseline.json: schemaVersion: 5 (written by talkbench 9.1.0) is too new: this talkbench reads load results of schema versions 2 to 4; read it with a newer talkbench');
    // A usage error [D-EXIT 2], compared by its code as errors are across threads.
    expect(err.code).toBe('BAD_RESULT_FILE');
    expect(err.exitCode).toBe(2);
  });

  test('version 1 is refused, saying why it cannot be migrated', () => {
    const err = refusal({ kind: 'load', schemaVersion: 1, ops: {} }, 'old.json');
    expect(err.message).toMatch(/^old\.json: schemaVersion: 1 cannot be read: the first talkbench load recorded no unanswered requests, .*without inventing them: run the load again with this talkbench \(this talkbench reads load results of schema versions 2 to 4\)$/);
  });

  test.each([
    [0, /schemaVersion: 0 is too old: this talkbench reads load results of schema versions 2 to 4/],
    ['3', /schemaVersion: "3" is not a version number; this talkbench reads/],
    [2.5, /schemaVersion: 2\.5 is not a version number/],
    [undefined, /schemaVersion: missing; this talkbench reads/],
  ])('schemaVersion %j is refused', (schemaVersion, message) => {
    expect(refusal({ kind: 'load', schemaVersion }).message).toMatch(message);
  });
});

describe('version 2, through its migration', () => {
  test.each(V2_FILES)('%s: every count, histogram, tally, metric and setting as the file has it', (name) => {
    const raw = JSON.parse(fixture(name)) as Record<string, unknown> & { timeSeries: { second: number; ops: unknown }[] };
    expect(raw.schemaVersion).toBe(2);
    const read = readLoadResult(fixture(name), name);
    expect(read.schemaVersion).toBe(4);
    for (const field of ['runId', 'tool', 'startedAt', 'finishedAt', 'config', 'environment', 'targetScryptCost', 'measuredMs', 'status', 'exitCode', 'reasons',
      'ops', 'delivery', 'disconnects', 'unexpectedFrames', 'notices', 'badLines', 'usersFailed', 'downloadBytes', 'metrics', 'generator', 'thresholds'] as const) {
      expect(read[field], field).toEqual(raw[field]);
    }
    // Version 2 kept the measured seconds only.
    expect(read.timeSeries).toEqual(raw.timeSeries.map((s) => ({ second: s.second, phase: 'measured', ops: s.ops })));
  });

  test('the counts of a real run are there, adding up', () => {
    const read = current();
    expect(read.status).toBe('passed');
    expect(read.ops['chat.e2e']).toMatchObject({ sent: 16, ok: 16, failed: 0, timeouts: 0, unanswered: 0 });
    expect(read.delivery).toEqual({
      chat: { delivered: 16, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 },
      file: { delivered: 4, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 },
    });
    // Every request with a reply of its own adds up [D-METRICS]; status (9) has `sent` only.
    for (const [name, op] of Object.entries(read.ops)) {
      if (name !== 'status') expect(op.sent, name).toBe(op.ok + op.failed + op.timeouts + op.unanswered);
    }
    expect(read.ops.status!.sent).toBeGreaterThan(0);
    expect(read.failures).toEqual([]);
    expect(read.timeSeries.map((s) => s.second)).toEqual([1, 2]);
  });

  test('failures are recovered from version 2\'s reasons, with the target when the run had one', () => {
    expect(readLoadResult(fixture('v2-target-failed.json'), 'f.json').failures).toEqual([
      { code: 'target-failed-mid-run', target: '127.0.0.1:37281', message: 'every connection to 127.0.0.1:37281 lost (last: closed by the server)' },
      { code: 'threshold-crossed', threshold: 'errors==0', message: 'errors==0 (measured 6)' },
    ]);
    expect(readLoadResult(fixture('v2-unreachable.json'), 'u.json').failures).toEqual([
      { code: 'unreachable', target: '127.0.0.1:1', message: 'target 127.0.0.1:1 refused the connection: is the server running?' },
    ]);
  });

  test('every wording of version 2 maps to its code; anything else made the run unreachable', () => {
    const v2 = loadResultV2Schema.parse(JSON.parse(fixture('v2-merged.json')));
    const reasons = [
      'interrupted by a signal',
      'generator process 2 of 3 ended without its result (killed by SIGKILL): its part of the run is missing',
      'target 10.0.0.1:8999 refused the connection: is the server running?',
      'the target failed mid-run: shard 2/2: every connection lost',
      'the target failed after the measured time (final probe): target 10.0.0.1:8999 closed the connection',
      'generator overloaded: worker 1: event-loop delay p99 70 ms over the 50 ms limit',
      'threshold crossed: errors==0 (measured 0)',
    ];
    // A merge's config lists only its first shard's targets: no target is named as data.
    expect(failuresOfV2({ ...v2, reasons, thresholds: [{ ...v2.thresholds[0]!, passed: false }] })).toEqual([
      { code: 'interrupted', message: reasons[0] },
      { code: 'part-missing', message: reasons[1] },
      { code: 'unreachable', message: reasons[2] },
      { code: 'target-failed-mid-run', message: 'shard 2/2: every connection lost' },
      { code: 'target-failed-late', message: 'target 10.0.0.1:8999 closed the connection' },
      { code: 'overloaded', message: 'worker 1: event-loop delay p99 70 ms over the 50 ms limit' },
      { code: 'threshold-crossed', threshold: 'errors==0', message: 'errors==0 (measured 0)' },
    ]);
    expect(new Set(failuresOfV2({ ...v2, reasons }).map((f) => f.code))).toEqual(new Set(FAILURE_CODES));
  });

  test('a merge of version 2 keeps its shards, without the summaries it never recorded', () => {
    const read = readLoadResult(fixture('v2-merged.json'), 'm.json');
    expect(read.shards.map((s) => [s.shard, s.summary])).toEqual([['1/2', null], ['2/2', null]]);
  });

  test('what the migration makes reads back unchanged as version 4', () => {
    for (const name of V2_FILES) {
      const read = readLoadResult(fixture(name), name);
      expect(readLoadResult(JSON.stringify(read), `${name} again`)).toStrictEqual(read);
      expect(loadResultSchema.parse(read)).toStrictEqual(read);
    }
  });
});

describe('version 3, through its migration', () => {
  test('a version-3 result reads as version 4 with every field as written, and no lag: unknown, not zero', () => {
    const text = readFileSync(new URL('../../test/fixtures/v3-load.json', import.meta.url), 'utf8');
    const raw = JSON.parse(text) as Record<string, unknown> & { ops: Record<string, Record<string, unknown>> };
    expect(raw.schemaVersion).toBe(3);
    const read = readLoadResult(text, 'v3-load.json');
    expect(read.schemaVersion).toBe(4);
    expect({ ...read, schemaVersion: 3 }).toStrictEqual(raw);
    for (const op of Object.values(read.ops)) expect(op.lag).toBeUndefined();
  });
});

describe('broken files', () => {
  test('not JSON', () => {
    expect(refusal('{"kind": "load",', 'torn.json').message).toMatch(/^torn\.json: not JSON \(/);
  });

  test.each([
    [[1], /^x\.json: not a talkbench result \(a JSON object with "kind" and "schemaVersion"\)$/],
    ['"load"', /^x\.json: not a talkbench result/],
    [{ schemaVersion: 3 }, /^x\.json: kind: missing: not a talkbench result file$/],
    [{ kind: 'conformance', schemaVersion: 1 }, /^x\.json: kind: is "conformance", not "load": this is not the result of talkbench load or merge$/],
  ])('%j', (value, message) => {
    expect(refusal(value, 'x.json').message).toMatch(message);
  });

  test('a field of the wrong type is named by its path, with the versions', () => {
    const broken = JSON.parse(fixture('v2-load.json'));
    broken.ops['chat.e2e'].ok = 'many';
    expect(refusal(broken, 'b.json').message)
      .toBe('b.json: ops["chat.e2e"].ok: Invalid input: expected number, received string (the file is a load result of version 2; this talkbench reads load results of schema versions 2 to 4)');
    const v3 = { ...current(), timeSeries: [{ second: 1, phase: 'cool-down', ops: {} }] };
    expect(refusal(JSON.stringify(v3), 'c.json').message).toMatch(/^c\.json: timeSeries\[0\]\.phase: Invalid option: expected one of "ramp-up"\|"warmup"\|"measured"\|"grace" \(the file is a load result of version 4;/);
    const histogram = { ...current(), ops: { login: { ...current().ops.login!, corrected: 'not a histogram' } } };
    expect(refusal(histogram, 'h.json').message).toMatch(/^h\.json: ops\.login\.corrected: expected an encoded HdrHistogram/);
  });

  test('several problems: the first is named, and how many more there are', () => {
    const { failures: _, reasons: __, ...rest } = current();
    expect(refusal(rest, 'm.json').message).toMatch(/^m\.json: failures: Invalid input: expected array, received undefined \(and 1 more problem\) \(the file is a load result of version 4;/);
  });

  test('fields are named as a person would look them up', () => {
    expect(fieldPath([])).toBe('(top level)');
    expect(fieldPath(['ops', 'chat.e2e', 'ok'])).toBe('ops["chat.e2e"].ok');
    expect(fieldPath(['timeSeries', 3, 'ops', 'login'])).toBe('timeSeries[3].ops.login');
    expect(fieldPath(['notices', '14'])).toBe('notices["14"]');
  });
});
