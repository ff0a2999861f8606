/**
 * contrib/pforte.service as systemd reads it: `systemd-analyze verify` finds nothing to
 * say, and `systemd-analyze security --offline=yes` rates its exposure low. Both work
 * without systemd running (a container). The unit starts /usr/bin/node; the copy checked
 * here starts this test's node instead, since verify looks for the program and CI's
 * Node need not live there. The environment file names settings that exist.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const ROOT = resolve(import.meta.dirname, '../..');
const UNIT = readFileSync(join(ROOT, 'contrib/pforte.service'), 'utf8');
const ENV_EXAMPLE = readFileSync(join(ROOT, 'contrib/pforte.env.example'), 'utf8');
/** systemd-analyze's scale runs from 0 (locked down) to 10 (unprotected). */
const MOST_EXPOSURE = 2.0;

function unitCopy(): string {
  const folder = mkdtempSync(join(tmpdir(), 'unit-'));
  const path = join(folder, 'pforte.service');
  writeFileSync(
    path,
    UNIT.replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `),
  );
  return path;
}

function analyze(args: string[]): { status: number | null; stdout: string; ours: string[] } {
  const run = spawnSync('systemd-analyze', args, { encoding: 'utf8', cwd: tmpdir() });
  if (run.error)
    throw new Error(
      `systemd-analyze does not run (Debian's systemd package): ${run.error.message}`,
    );
  // Other units of the machine may draw remarks of their own; those about this one name it.
  const ours = run.stderr.split('\n').filter((line) => line.includes('pforte'));
  return { status: run.status, stdout: run.stdout, ours };
}

describe('the systemd unit', () => {
  it('starts pforte serve from /opt/pforte with /usr/bin/node', () => {
    expect(UNIT).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/pforte\/bin\/pforte\.js serve$/m);
  });

  it('passes systemd-analyze verify without an error or a warning', () => {
    const { status, ours } = analyze(['verify', unitCopy()]);
    expect(ours).toEqual([]);
    expect(status).toBe(0);
  });

  it(`has a systemd-analyze security exposure below ${MOST_EXPOSURE}`, () => {
    const { status, stdout, ours } = analyze(['security', '--offline=yes', unitCopy()]);
    expect(ours).toEqual([]);
    expect(status).toBe(0);
    const exposure = /Overall exposure level for pforte\.service: (\d+\.\d)/.exec(stdout)?.[1];
    expect(Number(exposure)).toBeLessThan(MOST_EXPOSURE);
  });

  it('leaves MemoryDenyWriteExecute off: V8 runs the machine code it writes', () => {
    expect(UNIT).toMatch(/^MemoryDenyWriteExecute=no$/m);
  });

  it('has an example environment file whose settings exist and load', () => {
    const reference = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    const lines = ENV_EXAMPLE.split('\n').filter((line) => /^#?PFORTE_\w+=/.test(line));
    const unknown = lines
      .map((line) => line.replace(/^#/, '').split('=')[0]!)
      .filter((name) => !reference.includes(`\`${name}\``));
    expect(unknown).toEqual([]);
    const active = lines.filter((line) => !line.startsWith('#'));
    const env = Object.fromEntries(active.map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(() => loadConfig({ env })).not.toThrow();
  });
});
