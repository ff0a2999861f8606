/**
 * The app's side of the holder's status check (src/protocol/token-status.ts): with the
 * seed of an opened token, ask the server whether the token is still in use, and read
 * from the server's `Date` how far this phone's clock is off (issue 13, items 4 and 7).
 *
 * It never throws and never needs an answer: offline, or with a server that refuses,
 * the report is simply emptier, and the app shows nothing.
 */
import { computeStatusProof, type HolderStatus } from '../protocol/token-status.js';

export type { HolderStatus } from '../protocol/token-status.js';

export interface StatusReport {
  /** The server's answer to the holder; absent when there was none. */
  status?: HolderStatus;
  /** Server time minus phone time, in ms; absent without an answer that had a `Date`. */
  clockOffsetMs?: number;
}

export interface StatusOptions {
  send?: typeof fetch;
  /** The phone's clock. */
  now?: () => number;
}

export async function checkTokenStatus(
  baseUrl: string,
  serial: string,
  seed: Uint8Array,
  options: StatusOptions = {},
): Promise<StatusReport> {
  const send = options.send ?? fetch;
  const now = options.now ?? Date.now;
  const report: StatusReport = {};
  // A copy (never a view, as Buffer#slice would be): the screen wipes its seed when it
  // is left, perhaps while this still runs, and this wipes its own.
  const mine = new Uint8Array(seed);
  try {
    const sentAt = now();
    const issued = await post(send, `${baseUrl}/api/v1/authenticator/status-challenge`);
    if (!issued) return report;
    report.clockOffsetMs = clockOffset(issued.response, sentAt, now());
    const { challenge } = issued.body as { challenge?: unknown };
    if (typeof challenge !== 'string') return report;
    const proof = await computeStatusProof(mine, serial, challenge);
    const answered = await post(send, `${baseUrl}/api/v1/authenticator/status`, {
      serial,
      challenge,
      proof,
    });
    if (answered) report.status = answered.body as HolderStatus;
    return report;
  } finally {
    mine.fill(0);
  }
}

/**
 * The server's `Date` against the middle of the round trip. `Date` has whole seconds,
 * cut off, so the server's moment is half a second after it on average.
 */
function clockOffset(response: Response, sentAt: number, receivedAt: number): number | undefined {
  const date = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(date)) return undefined;
  return date + 500 - (sentAt + receivedAt) / 2;
}

async function post(
  send: typeof fetch,
  url: string,
  body?: unknown,
): Promise<{ response: Response; body: unknown } | undefined> {
  try {
    const response = await send(url, {
      method: 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const answer: unknown = await response.json().catch(() => undefined);
    return response.ok ? { response, body: answer } : undefined;
  } catch {
    return undefined;
  }
}
