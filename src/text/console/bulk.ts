/**
 * The console's bulk enrollment: the upload and directory forms, the preview, a run's
 * progress and summary, and the list of runs, in German and English.
 */
import type { Lang } from '../i18n.js';

type RunState = 'draft' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
type ProblemKind = 'failed' | 'mail' | 'unknown' | 'disabled';

export interface BulkTexts {
  title: string;
  intro: string;
  uploadTitle: string;
  file: string;
  fileHint: (megabytes: number) => string;
  resend: string;
  resendHint: string;
  replace: string;
  replaceHint: string;
  preview: string;
  directoryTitle: string;
  directory: string;
  filter: string;
  filterHint: string;
  runsTitle: string;
  noRuns: string;
  run: string;
  state: string;
  states: Record<RunState, string>;
  progress: string;
  startedBy: string;
  created: string;
  finished: string;
  done: (done: number, total: number) => string;
  // The preview
  previewTitle: string;
  previewIntro: (rows: number) => string;
  nothingChanged: string;
  figures: {
    newUsers: string;
    started: string;
    replaced: string;
    resent: string;
    alreadyEnrolled: string;
    openAlready: string;
    invalid: string;
  };
  invalidTitle: string;
  row: string;
  username: string;
  reason: string;
  more: (count: number) => string;
  nothingToDo: string;
  start: string;
  discard: string;
  discarded: string;
  // A run
  runTitle: (id: string) => string;
  source: string;
  sources: {
    csv: (file: string) => string;
    directory: (name: string, filter: string) => string;
    list: string;
  };
  options: string;
  optionList: (resend: boolean, replace: boolean) => string;
  keepsGoing: string;
  refresh: string;
  cancelRun: string;
  cancelled: string;
  failure: (why: string) => string;
  summary: string;
  counts: {
    started: string;
    resent: string;
    replaced: string;
    alreadyEnrolled: string;
    openAlready: string;
    skipped: string;
    failed: string;
    sent: string;
    stored: string;
  };
  problemsTitle: string;
  noProblems: string;
  kinds: Record<ProblemKind, string>;
  download: string;
  toRuns: string;
  // Refusals
  notMultipart: string;
  noFile: string;
  oneFile: string;
  tooBig: (megabytes: number) => string;
  badUpload: string;
  notCsv: (detail: string) => string;
  noDirectory: string;
}

export const bulkTexts: Record<Lang, BulkTexts> = {
  de: {
    title: 'Masseneinrichtung',
    intro:
      'Laden Sie eine CSV-Datei im Format der Kommandozeile hoch (eine Zeile je Benutzer: username,email,name,lang; eine erste Zeile „username,…“ gilt als Kopfzeile) oder wählen Sie Benutzer aus einem Verzeichnis. Sie sehen zuerst eine Vorschau; erst „Starten“ ändert etwas.',
    uploadTitle: 'CSV-Datei hochladen',
    file: 'CSV-Datei',
    fileHint: (megabytes) => `Höchstens ${megabytes} MB und 20.000 Zeilen, UTF-8.`,
    resend: 'Offenen Einrichtungen einen neuen Link senden',
    resendHint: 'Sonst werden Benutzer mit offener Einrichtung übersprungen.',
    replace: 'Benutzer mit Token neu einrichten',
    replaceHint: 'Das neue Token ersetzt das alte, sobald es aktiv ist.',
    preview: 'Vorschau',
    directoryTitle: 'Aus einem Verzeichnis',
    directory: 'Verzeichnis',
    filter: 'LDAP-Filter',
    filterHint: 'In Klammern, z. B. (memberOf=cn=staff,ou=groups,dc=example,dc=org)',
    runsTitle: 'Läufe',
    noRuns: 'Noch keine Läufe.',
    run: 'Lauf',
    state: 'Zustand',
    states: {
      draft: 'Vorschau',
      queued: 'wartet',
      running: 'läuft',
      done: 'fertig',
      failed: 'fehlgeschlagen',
      cancelled: 'abgebrochen',
    },
    progress: 'Fortschritt',
    startedBy: 'Gestartet von',
    created: 'Gestartet',
    finished: 'Beendet',
    done: (done, total) => `${done} von ${total} Zeilen`,
    previewTitle: 'Vorschau der Masseneinrichtung',
    previewIntro: (rows) =>
      rows === 1 ? 'Die Datei hat eine Zeile.' : `Die Datei hat ${rows} Zeilen.`,
    nothingChanged: 'Bisher wurde nichts geändert. So würde der Lauf jetzt ausgehen:',
    figures: {
      newUsers: 'Neue Benutzer, die eingerichtet werden',
      started: 'Bekannte Benutzer, die eingerichtet werden',
      replaced: 'Benutzer mit Token, die neu eingerichtet werden',
      resent: 'Offene Einrichtungen, die einen neuen Link erhalten',
      alreadyEnrolled: 'Übersprungen: hat schon ein Token',
      openAlready: 'Übersprungen: Einrichtung ist schon offen',
      invalid: 'Ungültige Zeilen',
    },
    invalidTitle: 'Ungültige Zeilen',
    row: 'Zeile',
    username: 'Benutzername',
    reason: 'Grund',
    more: (count) => `… und ${count} weitere.`,
    nothingToDo: 'Dieser Lauf hätte nichts zu tun.',
    start: 'Starten',
    discard: 'Verwerfen',
    discarded: 'Die Vorschau wurde verworfen. Es wurde nichts geändert.',
    runTitle: (id) => `Lauf ${id}`,
    source: 'Quelle',
    sources: {
      csv: (file) => `Datei ${file}`,
      directory: (name, filter) => `Verzeichnis ${name}, Filter ${filter}`,
      list: 'Liste (REST)',
    },
    options: 'Optionen',
    optionList: (resend, replace) =>
      [resend ? 'neuer Link für offene' : '', replace ? 'Token ersetzen' : '']
        .filter(Boolean)
        .join(', ') || 'keine',
    keepsGoing:
      'Der Lauf geht im Server weiter, auch wenn Sie diese Seite schließen, und setzt nach einem Neustart dort fort, wo er stand.',
    refresh: 'Aktualisieren',
    cancelRun: 'Lauf abbrechen',
    cancelled: 'Der Lauf wurde abgebrochen. Bereits bearbeitete Zeilen bleiben bearbeitet.',
    failure: (why) => `Der Lauf ist fehlgeschlagen: ${why}`,
    summary: 'Ergebnis',
    counts: {
      started: 'Neu eingerichtet',
      resent: 'Neuer Link gesendet',
      replaced: 'Neu eingerichtet (Token ersetzt)',
      alreadyEnrolled: 'Übersprungen: hat schon ein Token',
      openAlready: 'Übersprungen: schon offen',
      skipped: 'Übersprungen: kein solcher oder deaktivierter Benutzer',
      failed: 'Fehlgeschlagen',
      sent: 'E-Mails gesendet',
      stored: 'E-Mails im Postausgang',
    },
    problemsTitle: 'Zeilen mit Problemen',
    noProblems: 'Keine Zeile hatte ein Problem.',
    kinds: {
      failed: 'fehlgeschlagen',
      mail: 'E-Mail fehlgeschlagen',
      unknown: 'unbekannter Benutzer',
      disabled: 'deaktiviert',
    },
    download: 'Als CSV herunterladen',
    toRuns: 'Zur Masseneinrichtung',
    notMultipart: 'Bitte wählen Sie eine CSV-Datei und senden Sie das Formular ab.',
    noFile: 'Es wurde keine Datei hochgeladen. Bitte wählen Sie eine CSV-Datei.',
    oneFile: 'Bitte laden Sie genau eine Datei hoch.',
    tooBig: (megabytes) =>
      `Die Datei ist zu groß: höchstens ${megabytes} MB. Es wurde nichts geändert.`,
    badUpload: 'Das Hochladen konnte nicht gelesen werden. Es wurde nichts geändert.',
    notCsv: (detail) =>
      `Die Datei ist keine CSV-Liste von Benutzern. Es wurde nichts geändert. (${detail})`,
    noDirectory: 'Es ist kein Verzeichnis eingerichtet.',
  },
  en: {
    title: 'Bulk enrollment',
    intro:
      'Upload a CSV file in the command line’s format (one line per user: username,email,name,lang; a first line “username,…” is taken as a header) or pick users from a directory. You see a preview first; only “Start” changes anything.',
    uploadTitle: 'Upload a CSV file',
    file: 'CSV file',
    fileHint: (megabytes) => `At most ${megabytes} MB and 20,000 rows, UTF-8.`,
    resend: 'Mail open enrollments a new link',
    resendHint: 'Otherwise users whose enrollment is open are skipped.',
    replace: 'Enroll users who hold a token again',
    replaceHint: 'The new token replaces the old one once it is active.',
    preview: 'Preview',
    directoryTitle: 'From a directory',
    directory: 'Directory',
    filter: 'LDAP filter',
    filterHint: 'In parentheses, e.g. (memberOf=cn=staff,ou=groups,dc=example,dc=org)',
    runsTitle: 'Runs',
    noRuns: 'No runs yet.',
    run: 'Run',
    state: 'State',
    states: {
      draft: 'preview',
      queued: 'waiting',
      running: 'running',
      done: 'done',
      failed: 'failed',
      cancelled: 'cancelled',
    },
    progress: 'Progress',
    startedBy: 'Started by',
    created: 'Started',
    finished: 'Finished',
    done: (done, total) => `${done} of ${total} rows`,
    previewTitle: 'Bulk enrollment preview',
    previewIntro: (rows) => (rows === 1 ? 'The file has one row.' : `The file has ${rows} rows.`),
    nothingChanged: 'Nothing has been changed yet. This is what the run would do now:',
    figures: {
      newUsers: 'New users to enroll',
      started: 'Known users to enroll',
      replaced: 'Users with a token to enroll again',
      resent: 'Open enrollments to mail a new link',
      alreadyEnrolled: 'Skipped: holds a token already',
      openAlready: 'Skipped: an enrollment is open already',
      invalid: 'Invalid rows',
    },
    invalidTitle: 'Invalid rows',
    row: 'Row',
    username: 'Username',
    reason: 'Reason',
    more: (count) => `… and ${count} more.`,
    nothingToDo: 'This run would have nothing to do.',
    start: 'Start',
    discard: 'Discard',
    discarded: 'The preview was discarded. Nothing was changed.',
    runTitle: (id) => `Run ${id}`,
    source: 'Source',
    sources: {
      csv: (file) => `file ${file}`,
      directory: (name, filter) => `directory ${name}, filter ${filter}`,
      list: 'a list (REST)',
    },
    options: 'Options',
    optionList: (resend, replace) =>
      [resend ? 'new link for open ones' : '', replace ? 'replace tokens' : '']
        .filter(Boolean)
        .join(', ') || 'none',
    keepsGoing:
      'The run goes on in the server when you close this page, and after a restart resumes where it stood.',
    refresh: 'Refresh',
    cancelRun: 'Cancel the run',
    cancelled: 'The run was cancelled. Rows already done stay done.',
    failure: (why) => `The run failed: ${why}`,
    summary: 'Summary',
    counts: {
      started: 'Enrolled',
      resent: 'Mailed a new link',
      replaced: 'Enrolled again (token replaced)',
      alreadyEnrolled: 'Skipped: holds a token already',
      openAlready: 'Skipped: open already',
      skipped: 'Skipped: no such user, or disabled',
      failed: 'Failed',
      sent: 'Mails sent',
      stored: 'Mails in the outbox',
    },
    problemsTitle: 'Rows with problems',
    noProblems: 'No row had a problem.',
    kinds: {
      failed: 'failed',
      mail: 'mail failed',
      unknown: 'unknown user',
      disabled: 'disabled',
    },
    download: 'Download as CSV',
    toRuns: 'To bulk enrollment',
    notMultipart: 'Please choose a CSV file and send the form.',
    noFile: 'No file was uploaded. Please choose a CSV file.',
    oneFile: 'Please upload exactly one file.',
    tooBig: (megabytes) => `The file is too large: ${megabytes} MB at most. Nothing was changed.`,
    badUpload: 'The upload could not be read. Nothing was changed.',
    notCsv: (detail) => `The file is not a CSV list of users. Nothing was changed. (${detail})`,
    noDirectory: 'No directory is configured.',
  },
};
