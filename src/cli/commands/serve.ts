/**
 * `pforte serve`: run the server until SIGINT or SIGTERM. Everything it writes is a JSON
 * log line (pino), its start and stop included, so a log collector reads every line.
 * The stop is bounded: requests in progress get `server.shutdownSeconds` (drain.ts), the
 * rest of the stop STOP_GRACE_SECONDS more, and then the process exits whatever is left.
 */
import { setFlagsFromString } from 'node:v8';
import type { Logger } from '../../log.js';
import { usageError, type Command } from '../command.js';

export const serveCommands: Command[] = [
  {
    name: 'serve',
    summary: 'Run the server',
    usage: '[--port N] [--host H]',
    options: { port: { type: 'string' }, host: { type: 'string' } },
    reportsAsLog: true,
    async run(ctx, options) {
      const overrides: Record<string, unknown> = {};
      if (typeof options.port === 'string') {
        if (!/^\d{1,5}$/.test(options.port)) throw usageError('--port must be a number');
        overrides['server.port'] = Number(options.port);
      }
      if (typeof options.host === 'string') overrides['server.host'] = options.host;
      const { loadConfigWithNotes } = await import('../../config/load.js');
      const { createLifecycleLogger } = await import('../../log.js');
      const { startServer } = await import('../../run/serve.js');
      const { config, overridden } = loadConfigWithNotes({ env: ctx.io.env, overrides });
      const log = createLifecycleLogger(config.log.level, ctx.io.stdout);
      for (const line of overridden) log.warn(line);
      // Listening for the signals before starting, and until the end: a SIGTERM while
      // starting or stopping then stops cleanly instead of killing the process.
      const signalled = new Promise<NodeJS.Signals>((resolve) => {
        process.on('SIGINT', resolve);
        process.on('SIGTERM', resolve);
      });
      const server = await startServer(config);
      // bin/pforte.js kept the young generation small for the start; V8's default again.
      setFlagsFromString('--semi-space-growth-factor=2');
      // Scripts and test/helpers/server-process.ts wait for this phrase.
      log.info({ url: server.url }, `Pforte listening on ${server.url}`);
      const signal = await signalled;
      log.info({ signal }, `Pforte stopping (${signal})`);
      const stopped = exitAnywayAfter(config.server.shutdownSeconds + STOP_GRACE_SECONDS, log);
      await server.close();
      stopped();
      log.info('Pforte stopped');
      return 0;
    },
  },
];

/** What the stop may take beyond the requests' drain: the background jobs, the database. */
const STOP_GRACE_SECONDS = 5;

/**
 * Ends the process `seconds` after the signal even if something still holds it (a job
 * waiting on a slow SMTP server, a cut request waiting on its directory): exit 1 if the
 * stop did not finish, 0 if it did and only a straggler kept the process. The timer does
 * not keep the process alive itself. Returns the function that marks the stop finished.
 */
function exitAnywayAfter(seconds: number, log: Logger): () => void {
  let finished = false;
  setTimeout(() => {
    log.warn(
      { seconds },
      finished
        ? `Pforte stopped, but something still held the process ${seconds} s after the signal; exiting`
        : `Pforte did not stop within ${seconds} s of the signal; exiting`,
    );
    process.exit(finished ? 0 : 1);
  }, seconds * 1000).unref();
  return () => (finished = true);
}
