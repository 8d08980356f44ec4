// What a generator process and its worker threads load at run time: not zod. Each process would pay
// about 15 MiB and 90 ms for it (the result's schema is for the file the parent writes and readers
// read), and a scale run has several processes. And what every `talkbench` command loads before it
// knows which command it runs (cli/main.ts): not the conformance suite (fast-check and its checks)
// nor SQLite, which each command loads for itself when it runs (`--version` went from 1.1 s and
// 250 MiB to 0.5 s and 116 MiB). Type-only imports are erased, so they do not count; dynamic
// imports are not followed, which is the point.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Relative imports that survive compilation: not `import type`, not all-`type` named imports. */
function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      if (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)) continue;
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** The packages `entry` loads at run time, each with the chain of files that brings it in. */
function packagesLoaded(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const via = new Map<string, string | null>([[entry, null]]);
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    for (const spec of runtimeSpecifiers(file)) {
      if (!spec.startsWith('.')) {
        if (!packages.has(spec)) {
          const chain = [file];
          for (let f = via.get(file); f; f = via.get(f)) chain.push(f);
          packages.set(spec, chain.map((f) => relative(ROOT, f)));
        }
        continue;
      }
      let target = resolve(dirname(file), spec);
      if (target.endsWith('.js') && !existsSync(target)) target = target.replace(/\.js$/, '.ts');
      if (!target.endsWith('.ts') || via.has(target)) continue;
      via.set(target, file);
      stack.push(target);
    }
  }
  return packages;
}

describe('the generator loads no zod', () => {
  for (const entry of ['bench/run/child-entry.ts', 'bench/worker/worker-entry.ts']) {
    test(entry, () => {
      const loaded = packagesLoaded(resolve(ROOT, entry));
      expect(loaded.size).toBeGreaterThan(0);
      expect(loaded.get('zod'), `zod comes in through ${loaded.get('zod')?.join(' <- ')}`).toBeUndefined();
    });
  }

  test('the walk sees a runtime import of zod where there is one', () => {
    expect(packagesLoaded(resolve(ROOT, 'reports/schema/read-result.ts')).has('zod')).toBe(true);
  });
});

describe("the command line loads a command's own machinery only when it runs", () => {
  test('cli/main.ts loads neither fast-check nor better-sqlite3', () => {
    const loaded = packagesLoaded(resolve(ROOT, 'cli/main.ts'));
    expect(loaded.has('commander')).toBe(true);
    for (const heavy of ['fast-check', 'better-sqlite3']) expect(loaded.get(heavy), `${heavy} comes in through ${loaded.get(heavy)?.join(' <- ')}`).toBeUndefined();
  });

  test('the walk sees them where a command runs', () => {
    expect(packagesLoaded(resolve(ROOT, 'conformance/run/conform.ts')).has('fast-check')).toBe(true);
    expect(packagesLoaded(resolve(ROOT, 'reference-server/server.ts')).has('better-sqlite3')).toBe(true);
  });
});
