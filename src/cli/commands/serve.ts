/** `pforte serve`: run the server until SIGINT or SIGTERM. */
import { loadConfig } from '../../config/load.js';
import { startServer } from '../../http/server.js';
import { usageError, type Command } from '../command.js';
import { print } from '../io.js';

export const serveCommands: Command[] = [
  {
    name: 'serve',
    summary: 'Run the server',
    usage: '[--port N] [--host H]',
    options: { port: { type: 'string' }, host: { type: 'string' } },
    async run(ctx, options) {
      const overrides: Record<string, unknown> = {};
      if (typeof options.port === 'string') {
        if (!/^\d{1,5}$/.test(options.port)) throw usageError('--port must be a number');
        overrides['server.port'] = Number(options.port);
      }
      if (typeof options.host === 'string') overrides['server.host'] = options.host;
      const config = loadConfig({ env: ctx.io.env, overrides });
      const server = await startServer(config);
      print(ctx.io, `Pforte listening on ${server.url}`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      return 0;
    },
  },
];
