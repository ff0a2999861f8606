/** `pforte --version` (`-V`): the package's version; with --json the Node.js that runs it too. */
import { readFileSync } from 'node:fs';
import { print, printJSON, type CliIO } from './io.js';

/** The version in package.json, read beside dist/ or src/ (both are two folders down). */
export function readVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function printVersion(io: CliIO, json: boolean): number {
  if (json) printJSON(io, { pforte: readVersion(), node: process.versions.node });
  else print(io, `pforte ${readVersion()}`);
  return 0;
}
