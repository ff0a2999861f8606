/**
 * A hung server, made on purpose: a loopback relay in front of a real one that, while
 * hung, accepts connections and takes their bytes but answers nothing — what a directory
 * does whose process hangs. Deterministic, unlike stopping the server's process with a
 * signal (which a loaded machine once left answering), and it leaves the server itself
 * untouched for the next test.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface HangSwitch {
  /** `scheme://127.0.0.1:port` of the relay, in the scheme of the target. */
  url: string;
  /** From now on nothing answers, on new connections and on those already open. */
  hang(): void;
  /** Relays again (connections opened while hung stay silent: their clients gave up). */
  release(): void;
  close(): Promise<void>;
}

export async function startHangSwitch(targetUrl: string): Promise<HangSwitch> {
  const target = new URL(targetUrl);
  let hung = false;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (hung) return; // accepted, read, never answered
    const upstream = createConnection(Number(target.port), target.hostname);
    track(upstream);
    client.on('data', (bytes) => void (hung || upstream.write(bytes)));
    upstream.on('data', (bytes) => void (hung || client.write(bytes)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${target.protocol}//127.0.0.1:${port}`,
    hang: () => void (hung = true),
    release: () => void (hung = false),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
