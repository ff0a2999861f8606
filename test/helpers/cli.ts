/** Runs the CLI in-process with captured streams, as a terminal would see it. */
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  env: Record<string, string>,
  args: string[],
  stdin = '',
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stderr.on('data', (chunk) => (err += String(chunk)));
  const code = await runCli(args, { stdin: Readable.from([stdin]), stdout, stderr, env });
  return { code, stdout: out, stderr: err };
}
