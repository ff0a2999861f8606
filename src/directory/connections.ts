/**
 * The connections to one directory, for one purpose (searches as the service account, or
 * users' binds): at most `size` open at once (a gate: a slow directory is not flooded),
 * idle ones kept for the next request while they are still connected, bound and fresh,
 * and every request bounded by one deadline — connecting, StartTLS, binding and the
 * operation together. When the deadline passes, the request's connections are torn down
 * and it fails with a timeout; nothing waits longer.
 */
import type { Socket } from 'node:net';
import type { Client } from 'ldapts';
import { classify, DirectoryError } from './errors.js';

/** A kept connection older than this is closed rather than trusted (servers drop idle ones). */
const MAX_IDLE_MS = 60_000;

interface Kept {
  client: Client;
  since: number;
}

export class ConnectionPool {
  private readonly idle: Kept[] = [];
  private readonly waiting: (() => void)[] = [];
  private inUse = 0;

  constructor(
    private readonly directory: string,
    private readonly size: number,
    private readonly deadlineMs: number,
    /** Opens a new connection, bound as this pool needs it. */
    private readonly open: () => Promise<Client>,
    /** Whether a kept connection must still be bound (service searches). */
    private readonly mustBeBound: boolean,
  ) {}

  /**
   * Runs `work` on a connection within the deadline. A kept connection that fails is
   * dropped and the work tried once more on a new one, while time remains.
   */
  async run<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const used = new Set<Client>();
    let expired = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        reject(
          new DirectoryError('timeout', this.directory, `no answer within ${this.deadlineMs} ms`),
        );
      }, this.deadlineMs);
    });
    const attempt = async (): Promise<T> => {
      await this.enter();
      try {
        if (expired) throw new DirectoryError('timeout', this.directory, 'gave up waiting');
        const kept = this.takeKept();
        if (kept) {
          used.add(kept);
          try {
            return this.finish(kept, await work(kept), () => expired);
          } catch {
            used.delete(kept);
            destroy(kept);
            if (expired) throw new DirectoryError('timeout', this.directory, 'no answer');
          }
        }
        const client = await this.open();
        used.add(client);
        if (expired) {
          destroy(client);
          throw new DirectoryError('timeout', this.directory, 'no answer');
        }
        return this.finish(client, await work(client), () => expired);
      } finally {
        this.leave();
      }
    };
    try {
      return await Promise.race([attempt(), deadline]);
    } catch (error) {
      for (const client of used) destroy(client);
      throw classify(this.directory, error, false);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    for (const { client } of this.idle.splice(0)) destroy(client);
  }

  private finish<T>(client: Client, result: T, expired: () => boolean): T {
    if (!expired() && this.idle.length < this.size) this.idle.push({ client, since: Date.now() });
    else destroy(client);
    return result;
  }

  private takeKept(): Client | undefined {
    for (let kept = this.idle.pop(); kept; kept = this.idle.pop()) {
      const socket = socketOf(kept.client);
      const usable =
        kept.client.isConnected &&
        // After StartTLS ldapts may not notice the server closing the TLS socket.
        socket !== undefined &&
        !socket.destroyed &&
        socket.writable &&
        (!this.mustBeBound || kept.client.isBound) &&
        Date.now() - kept.since < MAX_IDLE_MS;
      if (usable) return kept.client;
      destroy(kept.client);
    }
    return undefined;
  }

  private async enter(): Promise<void> {
    if (this.inUse < this.size) {
      this.inUse++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inUse--;
  }
}

function socketOf(client: Client): Socket | undefined {
  return (client as unknown as { socket?: Socket }).socket;
}

/** Closes a connection now: no unbind round trip to a directory that may not answer. */
export function destroy(client: Client): void {
  socketOf(client)?.destroy();
  void client.unbind().catch(() => undefined);
}
