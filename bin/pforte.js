#!/usr/bin/env node
// The `pforte` command: the built CLI with the real streams and environment.
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

// argon2id takes 19 MiB per hash on libuv's thread pool; more threads than cores
// only add memory, not speed. Set before anything uses the pool.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));

// Loading the modules and building the routes allocates much that lives on; V8 would
// grow its young generation to 2 × 16 MB for it and keep that committed while the
// server idles (some 30 MB of RSS). For `serve` it stays small until the server has
// started, then grows by V8's default again under load (serve.ts). One-shot commands
// (a bulk import) keep the default.
if (process.argv[2] === 'serve') setFlagsFromString('--semi-space-growth-factor=1');

const { runCli } = await import('../dist/cli/main.js');
const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = code;
