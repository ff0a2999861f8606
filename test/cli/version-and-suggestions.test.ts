/**
 * `pforte --version`, and "did you mean …?" for a mistyped command or option: exit 2 with
 * the closest name, and no list to scroll through when one is close.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('pforte --version', () => {
  it.each([['--version'], ['-V']])('%s prints the version of package.json', async (flag) => {
    expect(await cli({}, [flag])).toEqual({ code: 0, stdout: `pforte ${version}\n`, stderr: '' });
  });

  it('--version --json names the Node.js that runs it too', async () => {
    const { code, stdout } = await cli({}, ['--version', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ pforte: version, node: process.versions.node });
  });
});

describe('pforte did you mean', () => {
  it.each([
    [['enrol'], 'pforte enrol: unknown command; did you mean enroll?\n'],
    [['usr', 'list'], 'pforte usr list: unknown command; did you mean user?\n'],
    [['user', 'ad', 'alice'], 'pforte user ad: unknown command; did you mean user add?\n'],
    [['audit', 'verfiy'], 'pforte audit verfiy: unknown command; did you mean audit verify?\n'],
    [['oidc', 'clinet', 'add'], 'pforte oidc clinet: unknown command; did you mean oidc client?\n'],
    [
      ['oidc', 'client', 'ad', 'wiki'],
      'pforte oidc client ad: unknown command; did you mean oidc client add?\n',
    ],
  ])('a mistyped command %j gets the closest one, exit 2', async (args, stderr) => {
    expect(await cli({}, args)).toEqual({ code: 2, stdout: '', stderr });
  });

  it('a command nothing is close to gets the list of commands', async () => {
    const { code, stderr } = await cli({}, ['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^pforte frobnicate: unknown command\nusage: pforte <command>/);
    expect(stderr).toContain('  user add ');
  });

  it('a group without its second word still asks which one', async () => {
    const { code, stderr } = await cli({}, ['user']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^pforte user: which one\?\n/);
  });

  it('a group of three-word commands without its last word asks which one, and lists them', async () => {
    const { code, stderr } = await cli({}, ['oidc', 'client']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^pforte oidc client: which one\?\nusage: pforte <command>/);
    const listed = stderr.split('\n').filter((line) => line.startsWith('  '));
    expect(listed.map((line) => /^ {2}(\S+ \S+ \S+) /.exec(line)?.[1])).toEqual([
      'oidc client add',
      'oidc client list',
      'oidc client remove',
    ]);
  });

  it.each([
    [['user', 'list', '--serch', 'al'], 'unknown option --serch; did you mean --search?'],
    [['token', 'add', 'bob', '--secert', 'X'], 'unknown option --secert; did you mean --secret?'],
    [['user', 'list', '--jsno'], 'unknown option --jsno; did you mean --json?'],
    [['user', 'list', '--colour'], 'unknown option --colour'],
    [['user', 'list', '-x'], 'unknown option -x'],
  ])('a mistyped option %j gets the closest option of that command', async (args, problem) => {
    const name = args.slice(0, 2).join(' ');
    const { code, stdout, stderr } = await cli({}, args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(
      new RegExp(`^pforte ${name}: ${problem.replace(/[?]/g, '\\?')}\nusage: pforte ${name} `),
    );
  });
});
