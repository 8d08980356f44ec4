// Everything `talkbench conform` can be told: one table of its flags (from which cli/conform-command.ts
// declares them) and one resolver that reports every mistake at once, each naming its flag [D-EXIT 2].
import { randomInt } from 'node:crypto';
import { parseTargets, type Endpoint } from '../../client/target.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LINE_BYTES, FRAME_LAYOUTS, type FrameLayout } from '../../proto/index.js';
import { bytes, choice, count, duration, httpUrl, parsing, text, toggle } from '../../util/option-kinds.js';
import { BadValue, ConfigError, option, resolveOptions, type ValueKind } from '../../util/option-table.js';
import { UNANSWERED_REPLIES, type UnansweredReply } from '../catalogue/check.js';

const target: ValueKind<Endpoint> = {
  placeholder: '<host:port>',
  word: parsing((v) => {
    const list = parseTargets(typeof v === 'string' ? v : '');
    if (list.length !== 1) throw new BadValue('conform checks one target at a time: give one host:port');
    return list[0]!;
  }),
  file: parsing(() => { throw new BadValue('not a file setting'); }),
  format: (t) => `${t.host}:${t.port}`,
};

const unanswered: ValueKind<UnansweredReply[]> = {
  placeholder: `<${UNANSWERED_REPLIES.join(',')}>`,
  word: parsing((v) => {
    const words = (typeof v === 'string' ? v : '').split(',').map((w) => w.trim()).filter(Boolean);
    if (words.length === 0) throw new BadValue(`give one or more of ${UNANSWERED_REPLIES.join(', ')}, separated by commas`);
    return words.map((w) => {
      const found = UNANSWERED_REPLIES.find((r) => r === w);
      if (found === undefined) throw new BadValue(`"${w}" is not a reply a target can be known not to send: use ${UNANSWERED_REPLIES.join(', ')}`);
      return found;
    });
  }),
  file: parsing(() => { throw new BadValue('not a file setting'); }),
  format: (list) => list.join(','),
};

/** `--only` and `--skip`: repeatable, each a check id or a prefix of ids (`im.frame`). */
const selectors: ValueKind<string[]> = {
  placeholder: '<id-or-prefix>',
  word: parsing((v) => {
    const words = (Array.isArray(v) ? v : [v]).flatMap((w) => String(w).split(',')).map((w) => w.trim()).filter(Boolean);
    if (words.length === 0) throw new BadValue('give a check id or a prefix such as im.frame');
    return words;
  }),
  file: parsing(() => { throw new BadValue('not a file setting'); }),
  format: (list) => list.join(','),
};

const seed: ValueKind<number> = {
  ...count(0, '<n>'),
  format: String,
};

export const DEFAULT_RUNS = 25;

export const CONFORM_OPTIONS = {
  target: option({ flag: '--target', file: null, kind: target, default: undefined, doc: 'the server to check (required unless --list)' }),
  protocol: option({ flag: '--protocol', file: null, kind: choice(['im', 'chat'] as const), default: 'im', doc: 'protocol of the target' }),
  layout: option({ flag: '--layout', file: null, kind: choice(FRAME_LAYOUTS), default: 'le', doc: 'IM frame layout: le = u32 LE length then id; be = u32 BE id then length' }),
  maxBody: option({ flag: '--max-body', file: null, kind: bytes(), default: DEFAULT_MAX_BODY_BYTES, doc: "the target's largest IM frame body" }),
  maxLine: option({ flag: '--max-line', file: null, kind: bytes(), default: DEFAULT_MAX_LINE_BYTES, doc: "the target's longest CHAT/1.0 line" }),
  http: option({ flag: '--http', file: null, kind: httpUrl('http://127.0.0.1:8080'), default: undefined, defaultText: "the upload reply's URL", doc: 'where files are downloaded' }),
  idleTimeout: option({ flag: '--idle-timeout', file: null, kind: duration({ positive: true }), default: undefined, defaultText: 'unknown: the idle check is skipped', doc: "the target's idle timeout" }),
  timeout: option({ flag: '--timeout', file: null, kind: duration({ positive: true }), default: 2000, doc: 'wait for each expected frame or line (raised to several round trips)' }),
  seed: option({ flag: '--seed', file: null, kind: seed, default: undefined, defaultText: 'random, printed', doc: 'seed of every property: the same seed reruns the same examples' }),
  runs: option({ flag: '--runs', file: null, kind: count(1), default: DEFAULT_RUNS, doc: 'examples per property' }),
  unanswered: option({ flag: '--unanswered', file: null, kind: unanswered, default: [] as UnansweredReply[], doc: 'replies the target is known not to send: their checks are SKIP' }),
  knownFailures: option({ flag: '--known-failures', file: null, kind: text('<file>'), default: undefined, doc: 'check ids expected to fail, one per line: XFAIL; one that passes fails the run' }),
  only: option({ flag: '--only', file: null, kind: selectors, default: [] as string[], doc: 'run only these checks (id or prefix; repeatable)', combine: (a, b) => [...a, ...b] }),
  skip: option({ flag: '--skip', file: null, kind: selectors, default: [] as string[], doc: 'leave out these checks (id or prefix; repeatable)', combine: (a, b) => [...a, ...b] }),
  strict: option({ flag: '--strict', file: null, kind: toggle(), default: false, doc: 'a SHOULD check that does not pass fails the run too' }),
  json: option({ flag: '--json', file: null, kind: text('<file>'), default: undefined, doc: 'write the result (kind conformance) here' }),
  junit: option({ flag: '--junit', file: null, kind: text('<file>'), default: undefined, doc: 'write a JUnit XML report here (one testcase per check)' }),
  transcripts: option({ flag: '--transcripts', file: null, kind: text('<dir>'), default: undefined, defaultText: 'beside --json, else ./conform-transcripts', doc: 'where the transcripts of failing checks are saved' }),
  list: option({ flag: '--list', file: null, kind: toggle(), default: false, doc: 'print the catalogue and exit' }),
  quiet: option({ flag: '--quiet', file: null, kind: toggle(), default: false, doc: 'print only failures and the totals' }),
};

export interface ConformConfig {
  target: Endpoint | null;
  protocol: 'im' | 'chat';
  layout: FrameLayout;
  maxBodyBytes: number;
  maxLineBytes: number;
  httpBase: string | null;
  idleTimeoutMs: number | null;
  timeoutMs: number;
  seed: number;
  runs: number;
  unanswered: UnansweredReply[];
  knownFailuresFile: string | null;
  only: string[];
  skip: string[];
  strict: boolean;
  jsonFile: string | null;
  junitFile: string | null;
  transcriptsDir: string | null;
  list: boolean;
  quiet: boolean;
}

/** The configuration from the words given; every mistake at once, as a ConfigError (exit 2). */
export function resolveConformOptions(given: Readonly<Record<string, unknown>>): ConformConfig {
  const { values: v, issues } = resolveOptions(CONFORM_OPTIONS, given, null);
  if (v.target === undefined && !v.list && !issues.some((i) => i.field === '--target')) {
    issues.push({ field: '--target', where: '--target', message: 'no target: give --target host:port (or --list for the catalogue)' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    target: v.target ?? null,
    protocol: v.protocol,
    layout: v.layout,
    maxBodyBytes: v.maxBody,
    maxLineBytes: v.maxLine,
    httpBase: v.http ?? null,
    idleTimeoutMs: v.idleTimeout ?? null,
    timeoutMs: v.timeout,
    seed: v.seed ?? randomInt(0, 2 ** 31 - 1),
    runs: v.runs,
    unanswered: v.unanswered,
    knownFailuresFile: v.knownFailures ?? null,
    only: v.only,
    skip: v.skip,
    strict: v.strict,
    jsonFile: v.json ?? null,
    junitFile: v.junit ?? null,
    transcriptsDir: v.transcripts ?? null,
    list: v.list,
    quiet: v.quiet,
  };
}
