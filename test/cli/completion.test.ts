/**
 * `pforte completion bash`, sourced by a real bash and asked as bash asks when Tab is
 * pressed: the commands, a group's subcommands and each command's own options, made from
 * the command list so that they never drift from it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { cli } from '../helpers/cli.js';
import { BIN } from '../helpers/server-process.js';

/** What bash offers for the command line `words` (the last one is being typed). */
function complete(script: string, lines: string[][]): string[][] {
  const asks = lines.map((words) => {
    const quoted = words.map((w) => `'${w}'`).join(' ');
    return `COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _pforte; echo "\${COMPREPLY[*]}"`;
  });
  const run = spawnSync('bash', ['--norc', '--noprofile', '-c', `${script}\n${asks.join('\n')}`], {
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  return run.stdout
    .split('\n')
    .slice(0, lines.length)
    .map((line) => line.split(' ').filter(Boolean));
}

async function script(): Promise<string> {
  const { code, stdout } = await cli({}, ['completion', 'bash']);
  expect(code).toBe(0);
  return stdout;
}

describe('pforte completion bash', () => {
  it('completes commands, subcommands and options as bash asks', async () => {
    const [us, userA, userAddE, serveP, completion, oidcClientA, oidcClientAddR] = complete(
      await script(),
      [
        ['pforte', 'us'],
        ['pforte', 'user', 'a'],
        ['pforte', 'user', 'add', 'alice', '--e'],
        ['pforte', 'serve', '--'],
        ['pforte', 'completion', ''],
        ['pforte', 'oidc', 'client', 'a'],
        ['pforte', 'oidc', 'client', 'add', 'wiki', '--re'],
      ],
    );
    expect(us).toEqual(['user']);
    expect(userA).toEqual(['add']);
    expect(userAddE).toEqual(['--email']);
    expect(oidcClientA).toEqual(['add']);
    expect(oidcClientAddR).toEqual(['--redirect-uri', '--refresh-tokens']);
    expect(serveP).toEqual(expect.arrayContaining(['--port', '--host', '--help', '--config']));
    expect(completion).toEqual(['bash', '--help']);
  });

  it("offers every command's options, exactly, from the command list", async () => {
    const lines = COMMANDS.map((c) => ['pforte', ...c.name.split(' '), '--']);
    const offered = complete(await script(), lines);
    COMMANDS.forEach((command, i) => {
      const options = ['json', 'help', 'config', ...Object.keys(command.options ?? {})];
      expect({ command: command.name, offered: offered[i]!.sort() }).toEqual({
        command: command.name,
        offered: options.map((o) => `--${o}`).sort(),
      });
    });
  });

  it('offers every first word, and the next words of each group (user, oidc client, …)', async () => {
    const names = COMMANDS.map((c) => c.name.split(' '));
    const groups = [
      ...new Set(
        names.flatMap((words) => words.slice(1).map((_, n) => words.slice(0, n + 1).join(' '))),
      ),
    ];
    expect(groups).toEqual(expect.arrayContaining(['user', 'oidc', 'oidc client', 'oidc keys']));
    const [first, ...next] = complete(await script(), [
      ['pforte', ''],
      ...groups.map((g) => ['pforte', ...g.split(' '), '']),
    ]);
    expect(first).toEqual(
      expect.arrayContaining([...new Set(names.map((w) => w[0]!)), 'completion', '--version']),
    );
    groups.forEach((group, i) => {
      const depth = group.split(' ').length;
      const words = names
        .filter((w) => w.length > depth && w.slice(0, depth).join(' ') === group)
        .map((w) => w[depth]!);
      expect({ group, offered: next[i] }).toEqual({ group, offered: [...new Set(words)] });
    });
  });

  it('works as operators install it: source <(pforte completion bash)', () => {
    const run = spawnSync(
      'bash',
      [
        '--norc',
        '-c',
        `source <("${process.execPath}" "${BIN}" completion bash); COMP_WORDS=(pforte tok); COMP_CWORD=1; _pforte; echo "\${COMPREPLY[*]}"; complete -p pforte`,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stdout).toBe('token\ncomplete -o default -F _pforte pforte\n');
  });

  it('names the shells it knows, exit 2 for any other', async () => {
    expect(await cli({}, ['completion', 'zsh'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'pforte completion: no completion for zsh\nusage: pforte completion bash\n',
    });
    expect((await cli({}, ['completion'])).code).toBe(2);
    expect((await cli({}, ['completion', '--help'])).stdout).toMatch(
      /^usage: pforte completion bash\n/,
    );
  });
});
