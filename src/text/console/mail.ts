/** The console's mail section: the outbox, its states and retrying, in German and English. */
import type { Lang } from '../i18n.js';

export interface MailTexts {
  title: string;
  intro: string;
  noSmtp: string;
  state: string;
  any: string;
  states: {
    stored: string;
    queued: string;
    sending: string;
    sent: string;
    failed: string;
    cancelled: string;
  };
  columns: {
    to: string;
    subject: string;
    state: string;
    attempts: string;
    lastError: string;
    created: string;
    sent: string;
  };
  empty: string;
  retry: string;
  retriedTitle: string;
  retried: (to: string) => string;
  toList: string;
  badState: (states: string) => string;
  notFailed: string;
  enrollmentGone: string;
}

export const mailTexts: Record<Lang, MailTexts> = {
  de: {
    title: 'E-Mail',
    intro:
      'Jede E-Mail, die Pforte verschickt, steht zuerst hier. Was nicht zugestellt werden konnte, steht mit dem Fehler da und kann erneut gesendet werden.',
    noSmtp:
      'Es ist kein SMTP-Server eingerichtet: E-Mails bleiben hier gespeichert und werden nicht verschickt.',
    state: 'Zustand',
    any: 'alle',
    states: {
      stored: 'gespeichert',
      queued: 'in der Warteschlange',
      sending: 'wird gesendet',
      sent: 'gesendet',
      failed: 'fehlgeschlagen',
      cancelled: 'verworfen',
    },
    columns: {
      to: 'Empfänger',
      subject: 'Betreff',
      state: 'Zustand',
      attempts: 'Versuche',
      lastError: 'Letzter Fehler',
      created: 'Erstellt',
      sent: 'Gesendet',
    },
    empty: 'Keine E-Mails in dieser Auswahl.',
    retry: 'Erneut senden',
    retriedTitle: 'E-Mail erneut eingereiht',
    retried: (to) =>
      `Die E-Mail an ${to} steht wieder in der Warteschlange und wird in Kürze zugestellt.`,
    toList: 'Zu den E-Mails',
    badState: (states) => `Der Zustand ist ungültig: bitte einen dieser Werte angeben: ${states}.`,
    notFailed:
      'Nur eine fehlgeschlagene E-Mail kann erneut gesendet werden. Es wurde nichts geändert.',
    enrollmentGone:
      'Die Einrichtung zu dieser E-Mail ist nicht mehr offen oder hat einen neueren Link. Senden Sie stattdessen die Einrichtung erneut. Es wurde nichts geändert.',
  },
  en: {
    title: 'Mail',
    intro:
      'Every message Pforte sends is written here first. What could not be delivered is shown with its error and can be sent again.',
    noSmtp: 'No SMTP server is configured: messages are kept here and not sent.',
    state: 'State',
    any: 'any',
    states: {
      stored: 'stored',
      queued: 'queued',
      sending: 'sending',
      sent: 'sent',
      failed: 'failed',
      cancelled: 'cancelled',
    },
    columns: {
      to: 'Recipient',
      subject: 'Subject',
      state: 'State',
      attempts: 'Attempts',
      lastError: 'Last error',
      created: 'Created',
      sent: 'Sent',
    },
    empty: 'No messages match.',
    retry: 'Send again',
    retriedTitle: 'Message queued again',
    retried: (to) => `The message to ${to} is queued again and will be delivered shortly.`,
    toList: 'To the mail',
    badState: (states) => `The state is not valid: please give one of ${states}.`,
    notFailed: 'Only a failed message can be sent again. Nothing was changed.',
    enrollmentGone:
      'The enrollment of this message is no longer open, or has a newer link. Resend the enrollment instead. Nothing was changed.',
  },
};
