/** Page language: the stored preference, else Accept-Language by q-value, else German. */
import { describe, expect, it } from 'vitest';
import { chooseLanguage, formatDateTime, type Lang } from '../../src/text/i18n.js';

describe('chooseLanguage', () => {
  const table: [header: string | undefined, preferred: string | undefined, expected: Lang][] = [
    [undefined, undefined, 'de'],
    ['', undefined, 'de'],
    ['en', undefined, 'en'],
    ['de', undefined, 'de'],
    ['en-US,en;q=0.9', undefined, 'en'],
    ['de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7', undefined, 'de'],
    ['en-GB,en;q=0.9,de;q=0.8', undefined, 'en'],
    ['de;q=0.5, en;q=0.8', undefined, 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.5,de;q=0.4', undefined, 'en'],
    ['fr-FR,fr;q=0.9', undefined, 'de'],
    ['de-AT', undefined, 'de'],
    ['EN-us', undefined, 'en'],
    ['en;q=0.5, de;q=0.5', undefined, 'en'], // a tie goes to the language named first
    ['en;q=0, *', undefined, 'de'],
    ['de;q=0, *', undefined, 'en'],
    ['fr, *;q=0.1', undefined, 'de'],
    ['en;q=0.3, *;q=0.5', undefined, 'de'], // `*` stands for German, which en did not name
    ['de;q=0', undefined, 'en'],
    ['en;q=0', undefined, 'de'],
    ['en;q=abc, de;q=0.2', undefined, 'de'], // a malformed q-value drops that entry
    ['en;q=1.5, de;q=0.2', undefined, 'de'],
    [' en ; q=0.8 , de ; q=0.7 ', undefined, 'en'],
    ['de', 'en', 'en'],
    ['en', 'de', 'de'],
    ['en', 'de-CH', 'de'],
    ['en', 'fr', 'en'], // a stored language we do not have falls back to the header
    [undefined, '', 'de'],
    ['en', 'xx-<script>', 'en'],
  ];
  it.each(table)('Accept-Language %j, stored %j → %s', (header, preferred, expected) => {
    expect(chooseLanguage(header, preferred)).toBe(expected);
  });
});

describe('formatDateTime', () => {
  it.each([
    ['2025-03-14T16:45:00Z', 'de', 'Freitag, 14. März 2025 um 17:45 MEZ'],
    ['2025-03-14T16:45:00Z', 'en', 'Friday, 14 March 2025 at 17:45 CET'],
    ['2025-07-01T08:05:00Z', 'de', 'Dienstag, 1. Juli 2025 um 10:05 MESZ'],
    ['2025-07-01T08:05:00Z', 'en', 'Tuesday, 1 July 2025 at 10:05 CEST'],
  ] as const)('%s in %s is in Berlin time: %s', (iso, lang, expected) => {
    expect(formatDateTime(new Date(iso), lang)).toBe(expected);
  });
});
