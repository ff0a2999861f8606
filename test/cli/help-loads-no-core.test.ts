/**
 * `pforte --help` answers at once: the help, usage errors, `--version` and the completion
 * script load no part of the core. The CLI runs as operators run it (bin/pforte.js, built),
 * with a module hook that writes down every import; a heavy dependency among them fails
 * the test with the chain of imports that brought it in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/server-process.js';

/** What takes the time: database drivers and their query builder, the server, hashing, … */
const HEAVY = [
  'fastify',
  'kysely',
  '@node-rs/argon2',
  'pg',
  'better-sqlite3',
  '@sinclair/typebox',
  'pino',
  'ldapts',
  'nodemailer',
  'prom-client',
];

// A resolve hook on Node's module thread: one line [importer, imported] per import.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.IMPORT_TRACE_FILE, JSON.stringify([context.parentURL ?? '', result.url]) + '\\n');
  return result;
}`;
const dataURL = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(dataURL(HOOKS))});`;

const ROOT = new URL('../../', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'pforte-import-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `pforte …args`; returns the heavy packages it imported, each with its import chain. */
function heavyImports(args: string[]): { status: number | null; heavy: string[] } {
  const file = join(dir, `${args.join('_').replace(/\W/g, '-')}.jsonl`);
  const run = spawnSync(process.execPath, ['--import', dataURL(REGISTER), BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', IMPORT_TRACE_FILE: file },
    encoding: 'utf8',
  });
  const importer = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [from, to] = JSON.parse(line) as [string, string];
    if (!importer.has(to)) importer.set(to, from);
  }
  const heavy: string[] = [];
  for (const name of HEAVY) {
    const url = [...importer.keys()].find((u) => u.includes(`/node_modules/${name}/`));
    if (!url) continue;
    const chain = [];
    for (let at: string | undefined = url; at; at = importer.get(at)) {
      chain.push(at.replace(ROOT, ''));
    }
    heavy.push(`${name}: ${chain.join(' <- ')}`);
  }
  return { status: run.status, heavy };
}

describe('pforte help loads no core', () => {
  it.each([
    [['--help']],
    [['user', '--help']],
    [['user', 'add', '--help']],
    [['serve', '--help']],
    [['oidc', 'client', 'add', '--help']],
    [['enrol']],
    [['user', 'add', 'alice', '--forse']],
    [['--version']],
    [['completion', 'bash']],
  ])('pforte %j imports none of the heavy dependencies', (args) => {
    const { status, heavy } = heavyImports(args);
    // A command file imports the core inside its run (`await import(…)`), never at the top.
    expect(heavy).toEqual([]);
    expect(status).toBe(args[0] === 'enrol' || args.includes('--forse') ? 2 : 0);
  });

  it('sees a heavy import when a command runs (the hook works)', () => {
    const { heavy } = heavyImports(['user', 'list', '--config', join(dir, 'missing.json')]);
    expect(heavy.some((h) => h.startsWith('@sinclair/typebox: '))).toBe(true);
  });
});
