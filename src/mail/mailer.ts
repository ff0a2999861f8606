/**
 * Sending mail over SMTP with nodemailer (a pooled transport: one connection carries
 * many messages, which is what bulk enrollment needs). Without an SMTP URL there is
 * no mailer, and messages stay in the outbox for administrators to read.
 */
import type { Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  // nodemailer is loaded at the first message: a server that sends none does not carry it.
  let transport: Promise<Transporter> | undefined;
  const opened = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      // The options object (not a URL string, whose second argument would only be
      // message defaults): that is what makes the transport pooled.
      nodemailer.createTransport(
        {
          url: smtpUrl,
          pool: true,
          maxConnections: 5,
          maxMessages: Infinity,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        } as Parameters<typeof nodemailer.createTransport>[0],
        { from },
      ),
    ));
  return {
    async send(mail) {
      const transport = await opened();
      // Address objects, not strings: nodemailer encodes the name, so a name cannot
      // add a header (no CR/LF reaches the wire unencoded).
      const info = await transport.sendMail({
        to: { name: mail.to.name, address: mail.to.address },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      return { messageId: String(info.messageId) };
    },
    close: () => void transport?.then((opened) => opened.close()),
  };
}

/** An SMTP error as it may be shown and stored: one line, no credentials. */
export function describeMailError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\/\/[^@\s/]*@/g, '//')
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 300);
}
