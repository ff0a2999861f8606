// @ts-check
// The raw argon2id verify rate, for comparison with password sign-ins per second:
// `node bench/argon2-verify.js <seconds> <concurrency>` keeps <concurrency> verifies in
// flight for <seconds> and prints one line of JSON. The hash is made with the very
// options the server uses (dist/users/password.js, built from src/users/password.ts).
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../dist/users/password.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 1);
const password = 'correct horse battery staple';
const encoded = await hash(password, ARGON2_OPTIONS);

// One verify first, so that the measured ones start warm.
if (!(await verify(encoded, password))) throw new Error('argon2 verify failed');

let verifies = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
const deadline = start + seconds * 1000;
async function loop() {
  while (performance.now() < deadline) {
    if (!(await verify(encoded, password))) throw new Error('argon2 verify failed');
    verifies += 1;
  }
}
await Promise.all(Array.from({ length: concurrency }, loop));
const elapsed = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);

console.log(
  JSON.stringify({
    verifies,
    seconds: elapsed,
    perSecond: verifies / elapsed,
    // CPU seconds of all threads (argon2 runs on libuv's thread pool).
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    concurrency,
    // "$argon2id$v=19$m=19456,t=2,p=1": the parameters, without salt and hash.
    params: encoded.split('$').slice(0, 4).join('$'),
  }),
);
