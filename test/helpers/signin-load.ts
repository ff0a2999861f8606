/**
 * A bounded sign-in load on a real server: a few services, one request in flight
 * each, asking `POST /api/v1/validate` for HOTP codes of their own user, counting
 * every answer and every accept the client saw.
 */
import { HOTP, Secret } from 'otpauth';
import { cli } from './cli.js';

export interface LoadUser {
  username: string;
  secret: Secret;
  /** The next HOTP counter to use; carried from one load to the next. */
  counter: number;
}

export interface Accept {
  username: string;
  counter: number;
  at: number;
}

export interface LoadFigures {
  requests: number;
  accepts: Accept[];
  /** 503 ERR_DATABASE_UNAVAILABLE answers. */
  unavailable: number;
  /** A code refused after an outage answer: the accept may have committed before the link broke. */
  rejectsAfterOutage: number;
  /** Anything else: a 500, another code, a reject of a fresh code. Should stay empty. */
  wrong: string[];
  /** Requests that got no answer at all (connection refused or reset). */
  dropped: string[];
}

export interface SignInLoad {
  figures: LoadFigures;
  /** Resolves with the `count`th accept the client saw from `since` on, or rejects at the deadline. */
  acceptAfter(since: number, deadlineMs: number, count?: number): Promise<Accept>;
  stop(): Promise<LoadFigures>;
}

/** Users with an HOTP token each and a `validate` API key, made with the CLI (after `pforte migrate`). */
export async function prepareLoadUsers(
  env: Record<string, string>,
  count: number,
): Promise<{ key: string; users: LoadUser[] }> {
  await cli(env, ['migrate']);
  const users: LoadUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = { username: `load${i}`, secret: new Secret(), counter: 0 };
    await cli(env, ['user', 'add', user.username, '--email', `${user.username}@example.org`]);
    await cli(env, [
      'token',
      'add',
      user.username,
      '--secret',
      user.secret.base32,
      '--type',
      'hotp',
    ]);
    users.push(user);
  }
  const key = (await cli(env, ['apikey', 'create', 'load', '--scope', 'validate'])).stdout.trim();
  return { key, users };
}

/**
 * A client answered "try again shortly" waits a moment, as a real one would, so an
 * outage does not turn the load into a busy loop on a shared machine.
 */
const OUTAGE_PAUSE_MS = 20;
const pause = () => new Promise((resolve) => setTimeout(resolve, OUTAGE_PAUSE_MS));

export function startSignInLoad(url: string, key: string, users: LoadUser[]): SignInLoad {
  const figures: LoadFigures = {
    requests: 0,
    accepts: [],
    unavailable: 0,
    rejectsAfterOutage: 0,
    wrong: [],
    dropped: [],
  };
  let running = true;
  const waiters: { since: number; count: number; resolve: (accept: Accept) => void }[] = [];
  const nthSince = (since: number, count: number) =>
    figures.accepts.filter((a) => a.at >= since)[count - 1];

  const ask = async (user: LoadUser, counter: number) => {
    const otp = new HOTP({ secret: user.secret }).generate({ counter });
    const response = await fetch(`${url}/api/v1/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, otp }),
    });
    return { status: response.status, body: await response.text() };
  };

  const work = async (user: LoadUser) => {
    let afterOutage = false;
    while (running) {
      const counter = user.counter;
      figures.requests++;
      let answer;
      try {
        answer = await ask(user, counter);
      } catch (error) {
        figures.dropped.push(`${user.username}#${counter}: ${String(error)}`);
        await pause();
        continue;
      }
      const body = safeJSON(answer.body);
      if (answer.status === 200 && body?.result === 'accept') {
        const accept = { username: user.username, counter, at: Date.now() };
        figures.accepts.push(accept);
        for (const waiter of waiters.splice(0)) {
          const reached = nthSince(waiter.since, waiter.count);
          if (reached) waiter.resolve(reached);
          else waiters.push(waiter);
        }
        user.counter++;
        afterOutage = false;
      } else if (answer.status === 200 && body?.result === 'reject') {
        // The accept committed, then the connection broke before it was acknowledged:
        // the same code again is a replay. Anything else is a wrong answer.
        if (afterOutage) figures.rejectsAfterOutage++;
        else figures.wrong.push(`${user.username}#${counter}: reject of a fresh code`);
        user.counter++;
        afterOutage = false;
      } else if (answer.status === 503 && body?.error?.code === 'ERR_DATABASE_UNAVAILABLE') {
        figures.unavailable++;
        afterOutage = true;
        await pause();
      } else {
        figures.wrong.push(`${user.username}#${counter}: ${answer.status} ${answer.body}`);
        await pause();
      }
    }
  };
  const workers = users.map(work);

  return {
    figures,
    acceptAfter(since, deadlineMs, count = 1) {
      const seen = nthSince(since, count);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no accept within ${deadlineMs} ms; ${figures.requests} requests, ` +
                  `${figures.unavailable} answered 503, wrong: ${figures.wrong.slice(-3).join(' | ')}, ` +
                  `dropped: ${figures.dropped.slice(-3).join(' | ')}`,
              ),
            ),
          deadlineMs,
        );
        waiters.push({
          since,
          count,
          resolve: (accept) => {
            clearTimeout(timer);
            resolve(accept);
          },
        });
      });
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      return figures;
    },
  };
}

function safeJSON(text: string): { result?: string; error?: { code?: string } } | undefined {
  try {
    return JSON.parse(text) as { result?: string; error?: { code?: string } };
  } catch {
    return undefined;
  }
}
