/**
 * The one logger (pino, JSON lines): the HTTP face hands it to Fastify, the core
 * writes to it. Secrets never go in: log calls pass ids and outcomes, not codes,
 * keys or passwords, and the redact paths catch the headers that carry them.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino(
    {
      level,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    pino.destination(destination === 'stdout' ? 1 : 2),
  );
}
