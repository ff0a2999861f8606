// The part of autocannon (which ships no types) that the bench uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Request {
    body?: string;
    setupRequest?: (request: Request) => Request;
    onResponse?: (status: number, body: string, context: unknown, headers: unknown) => void;
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
