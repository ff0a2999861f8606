#!/usr/bin/env node
// The `pforte` command: the built CLI with the real streams and environment.
import { availableParallelism } from 'node:os';

// argon2id takes 19 MiB per hash on libuv's thread pool; more threads than cores
// only add memory, not speed. Set before anything uses the pool.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));

const { runCli } = await import('../dist/cli/main.js');
const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = code;
