/** The console's enrollment list, its CSV export and "Remind all pending", in German and English. */
import type { Lang } from '../i18n.js';

export interface EnrollmentsTexts {
  title: string;
  intro: string;
  state: string;
  states: { all: string; open: string; done: string; expired: string; cancelled: string };
  batch: string;
  batchHint: string;
  from: string;
  to: string;
  user: string;
  created: string;
  expires: string;
  completed: string;
  mail: string;
  mailStates: Record<string, string>;
  empty: string;
  badFilter: string;
  remindAll: string;
  remindTitle: string;
  confirmRemind: (count: number, batch: string) => string;
  confirmRemindNote: string;
  nothingToRemind: string;
  remindedTitle: string;
  reminded: (count: number) => string;
  remindFigures: (sent: number, stored: number) => string;
  remindFailed: string;
  reason: string;
  toList: string;
}

export const enrollmentsTexts: Record<Lang, EnrollmentsTexts> = {
  de: {
    title: 'Einrichtungen',
    intro:
      'Alle Einrichtungen, die neuesten zuerst. Abgelaufen heißt: offen, aber die Gültigkeit des Links ist vorbei.',
    state: 'Zustand',
    states: {
      all: 'alle',
      open: 'offen',
      done: 'abgeschlossen',
      expired: 'abgelaufen',
      cancelled: 'abgebrochen',
    },
    batch: 'Masseneinrichtung',
    batchHint: 'Kennung eines Laufs, z. B. BR1234567890',
    from: 'Gestartet ab',
    to: 'Gestartet bis',
    user: 'Benutzer',
    created: 'Gestartet',
    expires: 'Gültig bis',
    completed: 'Abgeschlossen',
    mail: 'E-Mail',
    mailStates: {
      stored: 'im Postausgang',
      queued: 'wartet',
      sending: 'wird gesendet',
      sent: 'gesendet',
      failed: 'fehlgeschlagen',
      cancelled: 'verworfen',
    },
    empty: 'Keine Einrichtungen passen zu diesem Filter.',
    badFilter:
      'Der Filter ist ungültig: Zustand, Kennung des Laufs oder Datum (JJJJ-MM-TT) prüfen.',
    remindAll: 'Alle offenen erinnern',
    remindTitle: 'Alle offenen Einrichtungen erinnern',
    confirmRemind: (count, batch) =>
      `${count === 1 ? 'Eine offene Einrichtung erhält' : `${count} offene Einrichtungen erhalten`}${batch ? ` aus dem Lauf ${batch}` : ''} je eine neue E-Mail mit einem neuen Link; die Gültigkeit beginnt neu.`,
    confirmRemindNote:
      'Abgeschlossene, abgelaufene und abgebrochene Einrichtungen bleiben unberührt. Der bisherige Link jeder erinnerten Einrichtung funktioniert danach nicht mehr.',
    nothingToRemind: 'Es gibt keine offene Einrichtung, an die erinnert werden könnte.',
    remindedTitle: 'Erinnerungen verschickt',
    reminded: (count) =>
      count === 1 ? 'Eine Einrichtung erinnert.' : `${count} Einrichtungen erinnert.`,
    remindFigures: (sent, stored) => `${sent} E-Mails gesendet, ${stored} im Postausgang.`,
    remindFailed: 'Nicht erinnert',
    reason: 'Grund',
    toList: 'Zur Liste der Einrichtungen',
  },
  en: {
    title: 'Enrollments',
    intro:
      'Every enrollment, newest first. Expired means: open, but its link is past its lifetime.',
    state: 'State',
    states: {
      all: 'all',
      open: 'open',
      done: 'done',
      expired: 'expired',
      cancelled: 'cancelled',
    },
    batch: 'Bulk run',
    batchHint: 'A run’s id, e.g. BR1234567890',
    from: 'Started from',
    to: 'Started until',
    user: 'User',
    created: 'Started',
    expires: 'Expires',
    completed: 'Completed',
    mail: 'Mail',
    mailStates: {
      stored: 'in the outbox',
      queued: 'waiting',
      sending: 'sending',
      sent: 'sent',
      failed: 'failed',
      cancelled: 'dropped',
    },
    empty: 'No enrollment matches this filter.',
    badFilter: 'The filter is not valid: check the state, the run’s id or the dates (YYYY-MM-DD).',
    remindAll: 'Remind all pending',
    remindTitle: 'Remind all pending enrollments',
    confirmRemind: (count, batch) =>
      `${count === 1 ? 'One open enrollment gets' : `${count} open enrollments get`}${batch ? ` of run ${batch}` : ''} one new mail each with a new link; its lifetime starts again.`,
    confirmRemindNote:
      'Done, expired and cancelled enrollments are left as they are. The earlier link of each enrollment reminded stops working.',
    nothingToRemind: 'There is no open enrollment to remind.',
    remindedTitle: 'Reminders sent',
    reminded: (count) =>
      count === 1 ? 'One enrollment reminded.' : `${count} enrollments reminded.`,
    remindFigures: (sent, stored) => `${sent} mails sent, ${stored} in the outbox.`,
    remindFailed: 'Not reminded',
    reason: 'Reason',
    toList: 'To the list of enrollments',
  },
};
