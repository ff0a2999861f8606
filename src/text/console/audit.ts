/** The console's audit log: its filters, list, chain check and export, in German and English. */
import type { Lang } from '../i18n.js';

export interface AuditTexts {
  title: string;
  filters: string;
  user: string;
  action: string;
  actionHint: string;
  outcome: string;
  face: string;
  address: string;
  since: string;
  until: string;
  timeHint: string;
  any: string;
  outcomes: { success: string; failure: string; accept: string; reject: string };
  faces: {
    portal: string;
    api: string;
    console: string;
    cli: string;
    radius: string;
    oidc: string;
    web: string;
    system: string;
  };
  columns: {
    at: string;
    user: string;
    action: string;
    outcome: string;
    reason: string;
    face: string;
    actor: string;
    address: string;
    serial: string;
    detail: string;
  };
  empty: string;
  verify: string;
  verifyTitle: string;
  verifyExplain: string;
  intact: (checked: number) => string;
  broken: (seq: number, reason: string, checked: number) => string;
  breaks: Record<string, string>;
  badFilter: (label: string, hint: string) => string;
  textHint: string;
  choiceHint: (choices: string) => string;
  untilBeforeSince: string;
}

export const auditTexts: Record<Lang, AuditTexts> = {
  de: {
    title: 'Protokoll',
    filters: 'Protokoll filtern',
    user: 'Benutzer',
    action: 'Aktion',
    actionHint: 'z. B. signin, token.unlock',
    outcome: 'Ergebnis',
    face: 'Schnittstelle',
    address: 'Adresse',
    since: 'Von',
    until: 'Bis',
    timeHint:
      'ein Datum (2026-12-01), eine Zeit (2026-12-01T08:00) oder bei „Von“ eine Dauer (24h, 7d)',
    any: 'alle',
    outcomes: {
      success: 'erfolgreich',
      failure: 'fehlgeschlagen',
      accept: 'angenommen',
      reject: 'abgelehnt',
    },
    faces: {
      portal: 'Portal',
      api: 'REST-API',
      console: 'Verwaltung',
      cli: 'Kommandozeile',
      radius: 'RADIUS',
      oidc: 'OpenID Connect',
      web: 'Webseiten',
      system: 'System',
    },
    columns: {
      at: 'Zeit',
      user: 'Benutzer',
      action: 'Aktion',
      outcome: 'Ergebnis',
      reason: 'Grund',
      face: 'Schnittstelle',
      actor: 'Ausgeführt von',
      address: 'Adresse',
      serial: 'Token',
      detail: 'Details',
    },
    empty: 'Keine Einträge für diese Auswahl.',
    verify: 'Kette prüfen',
    verifyTitle: 'Prüfung der Kette',
    verifyExplain:
      'Jeder Eintrag trägt eine Prüfsumme über sich und seinen Vorgänger: Geänderte, gelöschte oder eingeschobene Einträge unterbrechen die Kette.',
    intact: (checked) =>
      checked === 1
        ? 'Die Kette ist unversehrt: 1 Eintrag geprüft.'
        : `Die Kette ist unversehrt: ${checked} Einträge geprüft.`,
    broken: (seq, reason, checked) =>
      `Die Kette ist bei Eintrag ${seq} unterbrochen: ${reason}. Die ${checked} Einträge davor sind unversehrt.`,
    breaks: {
      'event missing': 'ein Eintrag fehlt',
      'link to previous event broken': 'die Verbindung zum vorigen Eintrag stimmt nicht',
      'event changed': 'der Eintrag wurde verändert',
      'events missing at the end': 'am Ende fehlen Einträge',
    },
    badFilter: (label, hint) =>
      `Der Filter „${label}“ ist ungültig: bitte ${hint} angeben. Es wurde nichts angezeigt.`,
    textHint: 'höchstens 256 Zeichen ohne Steuerzeichen',
    choiceHint: (choices) => `einen dieser Werte: ${choices}`,
    untilBeforeSince: '„Bis“ liegt vor „Von“. Bitte wählen Sie einen gültigen Zeitraum.',
  },
  en: {
    title: 'Audit log',
    filters: 'Filter the audit log',
    user: 'User',
    action: 'Action',
    actionHint: 'e.g. signin, token.unlock',
    outcome: 'Outcome',
    face: 'Channel',
    address: 'Address',
    since: 'From',
    until: 'Until',
    timeHint: 'a date (2026-12-01), a time (2026-12-01T08:00) or, for “From”, a duration (24h, 7d)',
    any: 'any',
    outcomes: { success: 'success', failure: 'failure', accept: 'accepted', reject: 'refused' },
    faces: {
      portal: 'Portal',
      api: 'REST API',
      console: 'Console',
      cli: 'Command line',
      radius: 'RADIUS',
      oidc: 'OpenID Connect',
      web: 'Web pages',
      system: 'System',
    },
    columns: {
      at: 'Time',
      user: 'User',
      action: 'Action',
      outcome: 'Outcome',
      reason: 'Reason',
      face: 'Channel',
      actor: 'Done by',
      address: 'Address',
      serial: 'Token',
      detail: 'Details',
    },
    empty: 'No events match these filters.',
    verify: 'Verify chain',
    verifyTitle: 'Chain verification',
    verifyExplain:
      'Each event carries a checksum over itself and the one before it: a changed, deleted or inserted event breaks the chain.',
    intact: (checked) =>
      checked === 1
        ? 'The chain is intact: 1 event checked.'
        : `The chain is intact: ${checked} events checked.`,
    broken: (seq, reason, checked) =>
      `The chain breaks at event ${seq}: ${reason}. The ${checked} events before it are intact.`,
    breaks: {
      'event missing': 'an event is missing',
      'link to previous event broken': 'its link to the event before it is broken',
      'event changed': 'the event was changed',
      'events missing at the end': 'events are missing at the end',
    },
    badFilter: (label, hint) =>
      `The filter “${label}” is not valid: please give ${hint}. Nothing was shown.`,
    textHint: 'at most 256 characters without control characters',
    choiceHint: (choices) => `one of: ${choices}`,
    untilBeforeSince: '“Until” is before “From”. Please choose a valid time range.',
  },
};
