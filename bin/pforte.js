#!/usr/bin/env node
// The `pforte` command: the built CLI with the real streams and environment.
//
// CommonJS on purpose (bin/package.json): libuv sizes its thread pool once, when it is
// first used, from UV_THREADPOOL_SIZE. Node's loader for ES modules reads the entry
// file through that pool, so an ES module entry sets the size too late and the pool
// stays at libuv's 4 threads; this file is read without it and sets the size first.
'use strict';
const { availableParallelism } = require('node:os');
const { setFlagsFromString } = require('node:v8');

// argon2id takes 19 MiB per hash on libuv's thread pool; more threads than cores
// only add memory, not speed, and take turns on the cores from the event loop.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));

// Loading the modules and building the routes allocates much that lives on; V8 would
// grow its young generation to 2 × 16 MB for it and keep that committed while the
// server idles (some 30 MB of RSS). For `serve` it stays small until the server has
// started, then grows by V8's default again under load (serve.ts). One-shot commands
// (a bulk import) keep the default.
if (process.argv[2] === 'serve') setFlagsFromString('--semi-space-growth-factor=1');

// A command that never finishes (its promise left pending when nothing is left to run)
// must not look like a success; runCli's own code replaces this one.
process.exitCode = 1;
import('../dist/cli/main.js').then(async ({ runCli }) => {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
});
