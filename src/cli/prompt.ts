/**
 * Asking for a secret the command line left out: on a terminal, a prompt on stderr and
 * the answer typed without echo; otherwise one line of standard input per question, in
 * the order asked (as `--password-stdin` reads it), so scripts can pipe them in.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { PforteError } from '../errors.js';
import { usageError } from './command.js';
import type { CliIO } from './io.js';

type Terminal = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** One line's limit, as for `--password-stdin`. */
const LINE_LIMIT = 4096;

export type Ask = (prompt: string, what: string) => Promise<string>;

/** An asker for this command: it keeps its place in standard input between questions. */
export function createAsker(io: CliIO): Ask {
  const stdin = io.stdin as Terminal;
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    return (prompt, what) => askWithoutEcho(io, stdin, prompt, what);
  }
  let lines: AsyncIterator<string> | undefined;
  return async (_prompt, what) => {
    lines ??= createInterface({ input: io.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
    const next = await lines.next();
    const line = next.done ? '' : next.value;
    if (line.length > LINE_LIMIT) {
      throw new PforteError('ERR_VALIDATION', `the ${what} on standard input is too long`);
    }
    if (line.length === 0) {
      throw usageError(
        `no ${what}: give it as an option, type it when asked on a terminal, or as a line of standard input`,
      );
    }
    return line;
  };
}

function askWithoutEcho(io: CliIO, stdin: Terminal, prompt: string, what: string): Promise<string> {
  io.stderr.write(prompt);
  stdin.setRawMode!(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new PforteError('ERR_VALIDATION', 'cancelled'));
        if (char === '\u0004' && typed === '') return finish();
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (!/\p{Cc}/u.test(char) && typed.length < LINE_LIMIT) typed += char;
      }
    };
    stdin.on('data', onData);
  }).then((typed) => {
    if (typed.length === 0) throw usageError(`no ${what} typed`);
    return typed;
  });
}
