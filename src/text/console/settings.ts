/**
 * The console's settings page, in German and English. The settings' own descriptions
 * come from the configuration schema (English, as in docs/configuration.md).
 */
import type { Lang } from '../i18n.js';

export interface SettingsTexts {
  title: string;
  intro: string;
  setting: string;
  variable: string;
  value: string;
  description: string;
  set: string;
  notSet: string;
  empty: string;
  isDefault: string;
  noItems: string;
  groups: Record<string, string>;
}

export const settingsTexts: Record<Lang, SettingsTexts> = {
  de: {
    title: 'Einstellungen',
    intro:
      'Die Konfiguration, mit der dieser Server läuft (Konfigurationsdatei und Umgebungsvariablen, darüber die Standardwerte). Sie ist hier nur zu lesen; geändert wird sie in der Datei oder der Umgebung, wirksam nach einem Neustart. Geheimnisse werden nie angezeigt, nur ob sie gesetzt sind.',
    setting: 'Einstellung',
    variable: 'Umgebungsvariable',
    value: 'Wert',
    description: 'Beschreibung',
    set: 'gesetzt',
    notSet: 'nicht gesetzt',
    empty: '(leer)',
    isDefault: 'Standard',
    noItems: 'keine',
    groups: {
      general: 'Allgemein',
      server: 'Server',
      database: 'Datenbank',
      organisation: 'Organisation',
      portal: 'Portal',
      session: 'Portal-Sitzungen',
      console: 'Verwaltung',
      otp: 'Einmalkennwörter',
      lockout: 'Sperre',
      temporaryAccess: 'Vorübergehender Zugang',
      backoff: 'Verzögerung nach Fehlversuchen',
      rateLimit: 'Anfragen je Adresse',
      mail: 'E-Mail',
      enrollment: 'Einrichtung',
      pin: 'PIN der App',
      log: 'Protokollierung',
    },
  },
  en: {
    title: 'Settings',
    intro:
      'The configuration this server runs with (config file and environment variables, over the defaults). It is read-only here: change it in the file or the environment, effective after a restart. Secrets are never shown, only whether they are set.',
    setting: 'Setting',
    variable: 'Environment variable',
    value: 'Value',
    description: 'Description',
    set: 'set',
    notSet: 'not set',
    empty: '(empty)',
    isDefault: 'default',
    noItems: 'none',
    groups: {
      general: 'General',
      server: 'Server',
      database: 'Database',
      organisation: 'Organisation',
      portal: 'Portal',
      session: 'Portal sessions',
      console: 'Console',
      otp: 'One-time passcodes',
      lockout: 'Lock-out',
      temporaryAccess: 'Temporary access',
      backoff: 'Back-off after failures',
      rateLimit: 'Requests per address',
      mail: 'Mail',
      enrollment: 'Enrollment',
      pin: 'App PIN',
      log: 'Logging',
    },
  },
};
