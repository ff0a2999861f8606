// @ts-check
// A loopback SMTP server in this process that counts what it receives, per recipient
// (so a message sent twice shows).
import { SMTPServer } from 'smtp-server';

/** @returns {Promise<import('./types.js').Smtp>} */
export async function startSmtpServer() {
  const counts = { messages: 0, bytes: 0, perRecipient: new Map() };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      let bytes = 0;
      stream.on('data', (chunk) => {
        bytes += chunk.length;
      });
      stream.on('end', () => {
        counts.messages += 1;
        counts.bytes += bytes;
        for (const { address } of session.envelope.rcptTo) {
          const key = address.toLowerCase();
          counts.perRecipient.set(key, (counts.perRecipient.get(key) ?? 0) + 1);
        }
        cb();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  // Errors of single connections must not end the bench; the counts tell.
  server.on('error', () => {});
  const address = /** @type {import('node:net').AddressInfo} */ (server.server.address());
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    counts,
    reset() {
      counts.messages = 0;
      counts.bytes = 0;
      counts.perRecipient.clear();
    },
    duplicates: () => [...counts.perRecipient.values()].filter((n) => n > 1).length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
