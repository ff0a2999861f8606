/** A real SMTP server on a free loopback port (smtp-server), keeping what it receives. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  /** Parsed on first use: parsing every message would slow bulk tests down tenfold. */
  parsed: ParsedMail;
}

export interface TestSmtp {
  url: string;
  received: Received[];
  /** Refuse this many of the next messages with a temporary error (451). */
  refuseNext(count: number): void;
  /** Resolves when the next message has been received. */
  nextMessage(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtp> {
  const received: Received[] = [];
  let refusals = 0;
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          const error = Object.assign(new Error('try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          get parsed(): ParsedMail {
            throw new Error('call parseAll(received) first');
          },
        });
        callback();
        for (const resolve of waiting.splice(0)) resolve();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (count) => (refusals = count),
    nextMessage: () => new Promise<void>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Parses the messages (MIME, encodings) as a mail client would. */
export async function parseAll(messages: Received[]): Promise<Received[]> {
  for (const message of messages) {
    const parsed = await simpleParser(message.raw);
    Object.defineProperty(message, 'parsed', { value: parsed });
  }
  return messages;
}

/** The enrollment link in a received message, as a user would click it. */
export function linkIn(mail: Received): string {
  // Quoted-printable soft line breaks may split the link in the raw text.
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /https?:\/\/[^\s"<]+\/enroll\/[0-9A-Z]{25}/.exec(text);
  if (!match) throw new Error('no enrollment link in the message');
  return match[0];
}
