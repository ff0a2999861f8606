/** The configuration as the console shows it: every setting, no secret. */
import { describe, expect, it } from 'vitest';
import { describeEffectiveSettings, maskText } from '../../src/config/effective.js';
import { loadConfig } from '../../src/config/load.js';
import { listSettings } from '../../src/config/settings.js';

describe('the effective configuration', () => {
  it('masks the password and secret-looking parameters of a URL, and nothing else', () => {
    expect(maskText('postgres://pforte:hunter2@db.example.org:5432/pforte')).toBe(
      'postgres://pforte:•••@db.example.org:5432/pforte',
    );
    expect(maskText('postgres://db/pforte?sslmode=require&password=hunter2')).toBe(
      'postgres://db/pforte?sslmode=require&password=•••',
    );
    expect(maskText('smtps://mail.example.org:465')).toBe('smtps://mail.example.org:465');
    expect(maskText('smtp://user:pa:ss@[broken')).toBe('•••');
    expect(maskText('Pforte <pforte@localhost>')).toBe('Pforte <pforte@localhost>');
  });

  it('lists every setting once, and shows secrets only as set or not set', () => {
    const config = loadConfig({
      env: {
        PFORTE_DATA_DIR: '/nonexistent',
        PFORTE_MASTER_KEY: 'ab'.repeat(32),
        PFORTE_SMTP_URL: 'smtp://u:secret-1@mail.example.org:587',
      },
    });
    const settings = describeEffectiveSettings(config);
    expect(settings.map((s) => s.path)).toEqual(listSettings().map((s) => s.path));
    const byPath = new Map(settings.map((s) => [s.path, s]));
    expect(byPath.get('masterKey')!.value).toEqual({ kind: 'secret', set: true });
    expect(byPath.get('mail.smtpUrl')!.value).toEqual({ kind: 'secret', set: true });
    expect(byPath.get('database.url')!.value).toEqual({ kind: 'text', text: '' });
    expect(byPath.get('enrollment.appTokenType')!.value).toEqual({ kind: 'text', text: 'totp' });
    expect(JSON.stringify(settings)).not.toContain('secret-1');
    expect(JSON.stringify(settings)).not.toContain('abab');
  });
});
