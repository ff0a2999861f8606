/**
 * The shape of the code, as the README's Layout draws it: no file reaches itself through
 * its imports (a cycle makes the order of module start-up matter and hides which part
 * depends on which; the app's screens go to each other by name, app/src/navigate.ts);
 * the core never imports a face; and only the process hosts assemble the core.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../helpers/source-files.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Relative imports of a file (type-only ones too: they tie the files together as much; and
 * `await import(…)`, as the CLI's commands load the core when they run).
 */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gms),
    ...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
  ];
  return found.map(([, spec]) => resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
}

/** Every cycle's files, found by a depth-first walk of the import graph. */
function findCycles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push(path.slice(path.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles.map((cycle) => cycle.map((file) => relative(ROOT, file)));
}

describe('imports', () => {
  it.each(['app/src', 'src'])('form no cycle in %s', (folder) => {
    expect(findCycles(sourceFiles(join(ROOT, folder)))).toEqual([]);
  });

  it('never lead from the core to a face or the process host', () => {
    const faces = ['src/http/', 'src/cli/', 'src/run/'].map((f) => join(ROOT, f));
    const inFace = (file: string) => faces.some((face) => file.startsWith(face));
    const crossings = sourceFiles(join(ROOT, 'src'))
      .filter((file) => !inFace(file))
      .flatMap((file) =>
        importsOf(file)
          .filter(inFace)
          .map((target) => `${relative(ROOT, file)} -> ${relative(ROOT, target)}`),
      );
    expect(crossings).toEqual([]);
  });

  it('assemble the core only in the process hosts (run/serve.ts, the CLI)', () => {
    const assembly = join(ROOT, 'src/core.ts');
    const importers = sourceFiles(join(ROOT, 'src'))
      .filter((file) => importsOf(file).includes(assembly))
      .map((file) => relative(ROOT, file));
    // `pforte restore` opens a second core, on the folder it restored into, as a server would.
    expect(importers.sort()).toEqual([
      'src/cli/commands/backup.ts',
      'src/cli/main.ts',
      'src/run/serve.ts',
    ]);
  });
});
