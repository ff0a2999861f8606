/**
 * Time and randomness, injected everywhere so that windows, expiry and lock-out are
 * tested by moving a fake clock rather than by sleeping.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Random {
  bytes(length: number): Buffer;
  uuid(): string;
}

export const systemRandom: Random = {
  bytes: (length) => randomBytes(length),
  uuid: () => randomUUID(),
};
