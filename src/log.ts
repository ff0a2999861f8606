/**
 * The one logger (pino, JSON lines): the HTTP face hands it to Fastify, the core
 * writes to it. Secrets never go in: log calls pass ids and outcomes, not codes,
 * keys or passwords, and the redact paths catch the headers that carry them.
 */
import type { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(
  level: string,
  destination: 'stdout' | 'stderr' | Writable = 'stdout',
): Logger {
  return pino(
    {
      level,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    typeof destination === 'string'
      ? pino.destination(destination === 'stdout' ? 1 : 2)
      : destination,
  );
}

/**
 * The logger for the process's own start and stop lines: at info even when the
 * configured level is warn or error (supervisors and scripts wait for "listening"),
 * never when it is silent.
 */
export function createLifecycleLogger(
  level: string,
  destination: 'stdout' | 'stderr' | Writable = 'stdout',
): Logger {
  return createLogger(level === 'silent' ? 'silent' : 'info', destination);
}
