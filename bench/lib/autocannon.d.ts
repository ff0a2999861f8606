// The part of autocannon (which ships no types) that the bench uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  /** What a connection keeps about its request in flight: set up with it, given back with its answer. */
  export type Context = Record<string, unknown>;
  export interface Request {
    body?: string;
    setupRequest?: (request: Request, context: Context) => Request;
    onResponse?: (status: number, body: string, context: Context, headers: unknown) => void;
  }
  export interface Options {
    url: string;
    method: string;
    headers: Record<string, string>;
    connections: number;
    pipelining: number;
    duration: number;
    timeout: number;
    requests: Request[];
  }
  export interface Result {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  export interface Instance extends EventEmitter, PromiseLike<Result> {}
  export default function autocannon(options: Options): Instance;
}
