// Imports flow inward [D-LAYOUT-REPO]: the protocol core and the result schemas are leaves, the load
// generator and the suite reach any server (ours included) only through a socket, and inside bench/
// the scenarios never know the thread or the flags that run them. Every .ts file of the repository is
// read and each relative import resolved to the folder it lands in; a broken rule lists its
// violations as `file -> import`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Not ours to check: installed packages, and generated code (never edited by hand). */
const SKIPPED = new Set(['node_modules', '.git', 'proto/generated']);

interface Edge {
  /** The importing file, relative to the repository, with `/`. */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** Where it resolves, relative to the repository; starts with `..` when it leaves it. */
  target: string;
}

interface Rule {
  name: string;
  /** True when `edge` breaks the rule. */
  broken(edge: Edge): boolean;
}

function repositoryFiles(dir = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (SKIPPED.has(path)) continue;
    if (entry.isDirectory()) files.push(...repositoryFiles(path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** A module reached through the loader without an import: a worker or child entry point. */
const MODULE_URL = /new URL\(\s*['"](\.{1,2}\/[^'"]*\.[jt]s)['"]\s*,\s*import\.meta\.url\s*\)/g;

/** The relative imports of `file` (static, `export ... from`, dynamic, and module URLs), resolved. */
function importsOf(file: string, text: string): Edge[] {
  // TypeScript's own scanner: multi-line imports, `import type`, and no imports mistaken in comments.
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  for (const match of text.matchAll(MODULE_URL)) specifiers.push(match[1]!);
  return specifiers
    .filter((s) => s.startsWith('./') || s.startsWith('../'))
    .map((specifier) => ({ file, specifier, target: posix.normalize(posix.join(posix.dirname(file), specifier)) }));
}

const under = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);
const underAny = (path: string, folders: readonly string[]): boolean => folders.some((f) => under(path, f));
/** A test: any file under a `test/` folder (test-support/'s own tests included). */
const isTest = (path: string): boolean => posix.dirname(path).split('/').includes('test');

/** What each folder of bench/ may import of the others: from the plans and the scenarios outward. */
const BENCH_MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  'bench/model': [],
  'bench/metrics': [],
  'bench/engine': ['bench/model', 'bench/metrics'],
  'bench/worker': ['bench/engine', 'bench/model', 'bench/metrics'],
  'bench/config': ['bench/engine', 'bench/model', 'bench/metrics'],
};
const BENCH_FOLDERS = ['bench/model', 'bench/metrics', 'bench/engine', 'bench/worker', 'bench/config', 'bench/run'];

/** Only its own folder (and `also`) may be imported from `folder`. */
function leaf(name: string, folder: string, also: readonly string[] = []): Rule {
  return { name, broken: (e) => under(e.file, folder) && !under(e.target, folder) && !underAny(e.target, also) };
}

const RULES: readonly Rule[] = [
  { name: 'every relative import stays inside the repository', broken: (e) => e.target.startsWith('..') || posix.isAbsolute(e.target) },
  leaf('proto/ imports nothing of the other parts', 'proto'),
  // The error base is the one exception: a bad result file is a usage error the CLI maps like any
  // other, and util/errors.ts imports nothing but the exit-code table (rule below).
  leaf('reports/schema/ imports nothing of the other parts but the error base', 'reports/schema', ['util/errors.js', 'util/exit-codes.js']),
  leaf('util/ imports nothing of the other parts', 'util'),
  leaf('client/ imports only proto/ and util/', 'client', ['proto', 'util']),
  {
    // Tests included: they reach our server through test-support/, which starts it, never by import.
    name: 'bench/, conformance/ and reports/ never import reference-server/',
    broken: (e) => underAny(e.file, ['bench', 'conformance', 'reports']) && under(e.target, 'reference-server'),
  },
  {
    name: 'reports/ and conformance/ never import bench/',
    broken: (e) => underAny(e.file, ['reports', 'conformance']) && under(e.target, 'bench'),
  },
  {
    name: 'reference-server/ never imports bench/, conformance/, cli/, benchmarks/ or scripts/',
    broken: (e) => under(e.file, 'reference-server') && underAny(e.target, ['bench', 'conformance', 'cli', 'benchmarks', 'scripts']),
  },
  {
    name: 'inside bench/, imports flow inward (engine never imports worker/, run/ or config/; worker/ and config/ never each other)',
    broken: (e) => {
      const from = Object.keys(BENCH_MAY_IMPORT).find((f) => under(e.file, f));
      const to = BENCH_FOLDERS.find((f) => under(e.target, f));
      return from !== undefined && to !== undefined && to !== from && !BENCH_MAY_IMPORT[from]!.includes(to);
    },
  },
  {
    // benchmarks/ and scripts/ are tools around the product, run as a user runs it: they may use the
    // harness that spawns the CLI (scripts/main-job.ts does).
    name: 'only tests, test-support/, benchmarks/ and scripts/ import test-support/',
    broken: (e) => under(e.target, 'test-support') && !isTest(e.file) && !underAny(e.file, ['test-support', 'benchmarks', 'scripts']),
  },
  {
    name: 'the product never imports benchmarks/ (tests may)',
    broken: (e) => under(e.target, 'benchmarks') && !isTest(e.file) && !underAny(e.file, ['benchmarks', 'test-support']),
  },
];

const violations = (rule: Rule, edges: readonly Edge[]): string[] =>
  edges.filter((e) => rule.broken(e)).map((e) => `${e.file} -> ${e.specifier}`);

const files = repositoryFiles();
const edges = files.flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));

describe('import layout [D-LAYOUT-REPO]', () => {
  test('the repository is read: every part, and imports written every way', () => {
    for (const part of ['proto/', 'reference-server/', 'client/', 'bench/engine/', 'bench/worker/', 'cli/', 'test-support/', 'benchmarks/']) {
      expect(files.some((f) => f.startsWith(part)), part).toBe(true);
    }
    expect(files.some((f) => f.startsWith('proto/generated/'))).toBe(false);
    const seen = new Set(edges.map((e) => `${e.file} -> ${e.target}`));
    // A type-only import, and a worker entry reached through a module URL.
    expect(seen).toContain('bench/worker/worker-context.ts -> bench/engine/scenario-context.js');
    expect(seen).toContain('bench/run/run-load.ts -> bench/worker/worker-entry.ts');
  });

  for (const rule of RULES) {
    test(rule.name, () => {
      expect(violations(rule, edges)).toEqual([]);
    });
  }
});

describe('the rules catch what they are about', () => {
  // One bad import per rule, as a file would write it: each must be named, and only by its rule.
  const bad: [string, string, string][] = [
    ['proto/frame-codec.ts', "import { EXIT } from '../util/exit-codes.js';", 'proto/ imports nothing of the other parts'],
    ['reports/schema/histogram.ts', "import type { Recorder } from '../../bench/metrics/recorder.js';", 'reports/schema/ imports nothing of the other parts but the error base'],
    ['bench/test/load-im.test.ts', "import { startServer } from '../../reference-server/server.js';", 'bench/, conformance/ and reports/ never import reference-server/'],
    ['conformance/runner.ts', "import { Recorder } from '../bench/metrics/recorder.js';", 'reports/ and conformance/ never import bench/'],
    ['bench/engine/ping.ts', "import type { WorkerTask } from '../worker/task.js';", 'inside bench/, imports flow inward (engine never imports worker/, run/ or config/; worker/ and config/ never each other)'],
    ['bench/engine/http-downloads.ts', "export { X } from '../config/capacity.js';", 'inside bench/, imports flow inward (engine never imports worker/, run/ or config/; worker/ and config/ never each other)'],
    ['bench/worker/task.ts', "import type {\n  LoadConfig,\n} from '../config/load-config.js';", 'inside bench/, imports flow inward (engine never imports worker/, run/ or config/; worker/ and config/ never each other)'],
    ['bench/config/capacity.ts', "const m = await import('../worker/task.js');", 'inside bench/, imports flow inward (engine never imports worker/, run/ or config/; worker/ and config/ never each other)'],
    ['cli/main.ts', "import { startTestServer } from '../test-support/test-server.js';", 'only tests, test-support/, benchmarks/ and scripts/ import test-support/'],
    ['bench/run/run-load.ts', "new URL('../../benchmarks/perf/scale.ts', import.meta.url)", 'the product never imports benchmarks/ (tests may)'],
    ['util/units.ts', "import '../../shared/perf/anchor.js';", 'every relative import stays inside the repository'],
  ];
  for (const [file, line, ruleName] of bad) {
    test(`${file}: ${JSON.stringify(line)}`, () => {
      const found = RULES.filter((rule) => violations(rule, importsOf(file, line)).length > 0).map((rule) => rule.name);
      expect(found).toContain(ruleName);
    });
  }

  test('a comment that mentions an import is not one', () => {
    expect(importsOf('proto/index.ts', "// import { x } from '../bench/run/run-load.js';\n")).toEqual([]);
  });

  test('a violation is printed as file -> import', () => {
    const rule = RULES.find((r) => r.name.startsWith('proto/'))!;
    expect(violations(rule, importsOf('proto/index.ts', "export * from '../client/target.js';"))).toEqual(['proto/index.ts -> ../client/target.js']);
  });
});
