import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

// STYLE.md's layering, read from the imports of src/: the shells (main.ts, cli.ts) read the
// inputs and sit on top; nothing below them imports a shell or inputs.ts; the plan is pure; the
// folders import one way; text/ is the leaf every layer may use; renderers read the run's
// result, never the run; and no function is longer than a screen (70 lines).

const SRC = resolve(import.meta.dirname, '../src');
const SHELLS = ['main.ts', 'cli.ts', 'inputs.ts', 'index.ts', 'bin.ts'];
const BELOW_THE_SHELLS = ['report/', 'secrets/', 'github/', 'mkp/', 'config/', 'text/', 'plan.ts'];
/** Modules that reach the world: files, network, processes, the runner. */
const IO =
  /^(node:(fs|fs\/promises|http|https|net|tls|dns|child_process|process)|@actions\/|@octokit\/|undici)/;
/** The most lines a function may span, its signature and nested functions included. */
const MAX_FUNCTION_LINES = 70;

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The module specifiers a file imports, statically, dynamically or as types. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers.map((s) =>
    s.startsWith('.') ? relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))) : s,
  );
}

const graph = new Map(sources().map((file) => [relative(SRC, file), importsOf(file)]));

/** Every module a file reaches through its imports, itself excluded. */
function reach(start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(graph.get(start) ?? [])];
  while (todo.length > 0) {
    const next = todo.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...(graph.get(next) ?? []));
  }
  return seen;
}

/** The folder of src/ a module lives in (`config`), or undefined for the files at the top. */
function folderOf(module: string): string | undefined {
  const parts = module.split('/');
  return parts.length > 1 && graph.has(module) ? parts[0] : undefined;
}

/** `file:line name (N lines)` for every function of src/ longer than MAX_FUNCTION_LINES. */
function longFunctions(): string[] {
  const found: string[] = [];
  for (const module of graph.keys()) {
    const text = readFileSync(join(SRC, module), 'utf8');
    const file = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true);
    const lineOf = (at: number) => file.getLineAndCharacterOfPosition(at).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const lines = lineOf(node.end) - lineOf(node.getStart()) + 1;
        const name =
          node.name?.getText() ??
          (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : 'a function');
        if (lines > MAX_FUNCTION_LINES) {
          found.push(`${module}:${lineOf(node.getStart())} ${name} (${lines} lines)`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

describe('layering (STYLE.md)', () => {
  it('reads the imports it judges: the shells import the core', () => {
    expect(graph.get('main.ts')).toEqual(expect.arrayContaining(['sync.ts', 'inputs.ts']));
    expect(graph.get('cli.ts')).toContain('sync.ts');
    expect(graph.get('main.ts')).toContain('@actions/core');
    expect(graph.size).toBeGreaterThan(30);
  });

  it('nothing below the shells imports main.ts, cli.ts or inputs.ts', () => {
    const offending = [...graph]
      .filter(([file]) => BELOW_THE_SHELLS.some((layer) => file.startsWith(layer)))
      .flatMap(([file, imports]) =>
        imports.filter((i) => SHELLS.includes(i)).map((i) => `${file} imports ${i}`),
      );
    expect(offending).toEqual([]);
  });

  it('only the shells import @actions/core: the core logs and masks through the Log it is given', () => {
    const importers = [...graph]
      .filter(([file, imports]) => !SHELLS.includes(file) && imports.includes('@actions/core'))
      .map(([file]) => file);
    expect(importers).toEqual([]);
  });

  it('only the shells and inputs.ts read the runner environment (process.env)', () => {
    // The loader's documented default source of `${VAR}` values, for callers that pass none.
    const allowed = ['config/load.ts'];
    const readers = [...graph.keys()].filter(
      (file) =>
        !SHELLS.includes(file) &&
        !allowed.includes(file) &&
        /\bprocess\.env\b/.test(readFileSync(join(SRC, file), 'utf8')),
    );
    expect(readers).toEqual([]);
  });

  it('the plan is pure: nothing it reaches does I/O', () => {
    const reached = [...reach('plan.ts'), 'plan.ts'];
    const io = reached.filter(
      (module) =>
        IO.test(module) ||
        (graph.has(module) &&
          /\b(fetch|setTimeout|process\.\w+)\s*[.(]/.test(readFileSync(join(SRC, module), 'utf8'))),
    );
    expect(io).toEqual([]);
  });

  it('the CLI entry loads nothing of src/ before its Node check: only package.json', () => {
    expect(graph.get('bin.ts')).toEqual(['../package.json']);
  });

  it('the emulator is the other side of the wire: it imports nothing of src/ outside its folder', () => {
    const emulator = [...graph].filter(([file]) => file.startsWith('emulator/'));
    expect(emulator.length).toBeGreaterThan(1);
    const offending = emulator.flatMap(([file, imports]) =>
      imports
        .filter((i) => !i.startsWith('node:') && !i.startsWith('emulator/'))
        .map((i) => `${file} imports ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it('only the CLI loads the emulator, and only on demand (a dynamic import: its own chunk)', () => {
    const importers = [...graph]
      .filter(
        ([file, imports]) =>
          !file.startsWith('emulator/') && imports.some((i) => i.startsWith('emulator/')),
      )
      .map(([file]) => file);
    expect(importers).toEqual(['cli.ts']);
    const cli = readFileSync(join(SRC, 'cli.ts'), 'utf8');
    expect(cli).toMatch(/\bimport\(\s*'\.\/emulator\//);
    expect(cli).not.toMatch(/^\s*import\s[^;]*?from\s+'\.\/emulator\//m);
  });

  it('has no import cycles', () => {
    const cycles = [...graph.keys()].filter((file) => reach(file).has(file));
    expect(cycles).toEqual([]);
  });

  it('no two folders import each other: each pair of folders is tied one way at most', () => {
    const ties = new Set<string>();
    for (const [file, imports] of graph) {
      const from = folderOf(file);
      for (const module of imports) {
        const to = folderOf(module);
        if (from && to && from !== to) ties.add(`${from} -> ${to}`);
      }
    }
    const both = [...ties].filter((tie) => {
      const [from, to] = tie.split(' -> ');
      return from! < to! && ties.has(`${to} -> ${from}`);
    });
    expect(both.map((tie) => `${tie} and back`)).toEqual([]);
  });

  it('text/ is a leaf: the encoders every layer uses import nothing of theirs', () => {
    const leaving = [...graph]
      .filter(([file]) => file.startsWith('text/'))
      .flatMap(([file, imports]) =>
        imports
          .filter((i) => graph.has(i) && !i.startsWith('text/'))
          .map((i) => `${file} imports ${i}`),
      );
    expect(leaving).toEqual([]);
  });

  it('renderers read the run’s result, never the run: nothing in report/ reaches sync.ts or a client', () => {
    const reaching = [...graph.keys()]
      .filter((file) => file.startsWith('report/'))
      .flatMap((file) =>
        [...reach(file)]
          .filter((m) => m === 'sync.ts' || /^(mkp|github)\/(client|http)\.ts$/.test(m))
          .map((m) => `${file} reaches ${m}`),
      );
    expect(reaching).toEqual([]);
  });

  it(`no function in src/ is over ${MAX_FUNCTION_LINES} lines: each does one thing, in named steps`, () => {
    expect(longFunctions()).toEqual([]);
  });
});
