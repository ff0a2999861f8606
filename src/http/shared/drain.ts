/**
 * Stopping within a bound (`server.shutdownSeconds`): when the app closes, the listener
 * stays open until the requests in progress at that moment are answered (new ones are
 * refused, refusals.ts, and /readyz says the server is stopping), and only then does
 * Fastify close it. Past the bound their connections are closed and the number of
 * requests cut is logged, so a stuck request cannot hold the process.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

export function drainOnClose(app: FastifyInstance, seconds: number): void {
  const inFlight = new Set<ServerResponse>();
  app.server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  app.addHook('preClose', async () => {
    const waiting = [...inFlight];
    if (waiting.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const answered = Promise.all(
      waiting.map((response) => new Promise((resolve) => response.once('close', resolve))),
    ).then(() => true);
    const late = new Promise<false>(
      (resolve) => (timer = setTimeout(resolve, seconds * 1000, false)),
    );
    const inTime = await Promise.race([answered, late]);
    clearTimeout(timer);
    if (inTime) return;
    const cut = waiting.filter((response) => inFlight.has(response)).length;
    app.log.warn(
      { cut, shutdownSeconds: seconds },
      `stopping: ${cut} ${cut === 1 ? 'request' : 'requests'} still unanswered after ${seconds} s, their connections closed`,
    );
    app.server.closeAllConnections();
  });
}
