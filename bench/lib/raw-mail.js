// @ts-check
// The yardstick of bulk enrollment: nodemailer's own pooled send rate of messages of
// about the size of an enrollment mail, to the same loopback SMTP server.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { fmt } from './format.js';

/** About 3 kB of text and HTML, like an enrollment mail (sizes are compared). @param {number} i */
function rawMail(i) {
  const link = `http://127.0.0.1/enroll/${randomBytes(24).toString('base64url')}`;
  const paragraph =
    'Your organisation uses Pforte for sign-in with one-time passcodes. Open the link ' +
    'below on this device and follow the steps to add a passcode app or token. ';
  const text = `Hello Employee ${i},\n\n${paragraph.repeat(7)}\n\n${link}\n\n${paragraph}\n`;
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in setup</title></head>` +
    `<body><p>Hello Employee ${i},</p><p>${paragraph.repeat(7)}</p>` +
    `<p><a href="${link}">${link}</a></p><p>${paragraph}</p></body></html>`;
  return {
    from: 'Pforte <pforte@localhost>',
    to: { name: `Employee ${i}`, address: `raw${i}@example.org` },
    subject: 'Set up sign-in with a one-time passcode',
    text,
    html,
  };
}

/**
 * nodemailer's own rate: `count` messages handed to a pooled transport at once.
 * @param {import('./types.js').Smtp} smtp
 * @param {number} count
 */
export async function rawSendRate(smtp, count) {
  process.stdout.write(`  raw nodemailer pooled send, ${count} messages … `);
  smtp.reset();
  const mails = Array.from({ length: count }, (_, i) => rawMail(i));
  // The options go in one object with the URL: as a second argument beside a URL
  // string they are message defaults, and nodemailer then opens one connection per
  // message with no pool (10 000 at once never get their greeting).
  const transport = nodemailer.createTransport({
    url: smtp.url,
    pool: true,
    maxConnections: 5,
    maxMessages: Infinity,
  });
  try {
    const began = performance.now();
    await Promise.all(mails.map((mail) => transport.sendMail(mail)));
    const seconds = (performance.now() - began) / 1000;
    const run = {
      perSecond: count / seconds,
      seconds,
      received: smtp.counts.messages,
      duplicates: smtp.duplicates(),
      bytesPerMail: smtp.counts.bytes / smtp.counts.messages,
    };
    console.log(
      `${fmt(run.perSecond)} mails/s (${fmt(seconds, 1)} s, ` +
        `${fmt(run.bytesPerMail)} bytes per message)`,
    );
    return run;
  } finally {
    transport.close();
  }
}
