/**
 * `pforte serve`: run the server until SIGINT or SIGTERM. Everything it writes is a JSON
 * log line (pino), its start and stop included, so a log collector reads every line.
 */
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
      // Scripts and test/helpers/server-process.ts wait for this phrase.
      log.info({ url: server.url }, `Pforte listening on ${server.url}`);
      const signal = await signalled;
      log.info({ signal }, `Pforte stopping (${signal})`);
      await server.close();
      log.info('Pforte stopped');
      return 0;
    },
  },
];
