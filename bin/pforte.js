#!/usr/bin/env node
// The `pforte` command: the built CLI with the real streams and environment.
import { runCli } from '../dist/cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = code;
