/**
 * A request that stays in progress on the server for as long as the test wants: a POST
 * whose body is sent only when the test calls `finish()`. `Expect: 100-continue` makes it
 * deterministic: the server has taken the request (Node answers 100 and hands it to
 * Fastify in the same step) before `startSlowRequest` returns. No sleeps.
 */
import { once } from 'node:events';
import { request } from 'node:http';

export interface SlowRequest {
  /** Sends the body; resolves with the answer. */
  finish(): Promise<{ status: number; body: string }>;
  /** The answer, or the error when the server closed the connection first. */
  answer: Promise<{ status: number; body: string }>;
}

export async function startSlowRequest(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<SlowRequest> {
  const text = JSON.stringify(body);
  const req = request(new URL(path, url), {
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      expect: '100-continue',
      ...headers,
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (response) => {
      let data = '';
      response.on('data', (chunk) => (data += String(chunk)));
      response.once('end', () => resolve({ status: response.statusCode!, body: data }));
      response.once('error', reject);
    });
  });
  // Handled here too, so a cut request is no unhandled rejection before the test looks.
  answer.catch(() => undefined);
  req.flushHeaders();
  await Promise.race([once(req, 'continue'), answer]);
  return {
    finish() {
      req.end(text);
      return answer;
    },
    answer,
  };
}
