/** The templating helper: everything interpolated is text unless it is already markup. */
import { describe, expect, it } from 'vitest';
import { checkURL, escapeHTML, html, layout, unsafeRaw } from '../../src/text/html.js';
import { squash } from './page-checks.js';

// An alias, so that Prettier leaves these exact templates as they are.
const tag = html;

describe('html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"double" & \'single\'', '&quot;double&quot; &amp; &#39;single&#39;'],
    ['&amp; stays text', '&amp;amp; stays text'],
    ['plain', 'plain'],
  ])('escapes %j', (value, expected) => {
    expect(tag`<p>${value}</p>`.toString()).toBe(`<p>${expected}</p>`);
    expect(escapeHTML(value)).toBe(expected);
  });

  it('keeps an attribute closed against a hostile value', () => {
    const name = '" onmouseover="alert(1)';
    expect(tag`<a title="${name}">x</a>`.toString()).toBe(
      '<a title="&quot; onmouseover=&quot;alert(1)">x</a>',
    );
  });

  it('keeps nested html as markup and joins arrays', () => {
    const items = ['a<b', 'c'].map((item) => tag`<li>${item}</li>`);
    expect(tag`<ul>${items}</ul>`.toString()).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('drops null, undefined and false, and prints numbers', () => {
    expect(tag`${null}${undefined}${false}${6}`.toString()).toBe('6');
  });

  it('emits unsafeRaw markup unchanged', () => {
    expect(tag`<div>${unsafeRaw('<svg></svg>')}</div>`.toString()).toBe('<div><svg></svg></div>');
  });

  it('does not trust an object that only looks like SafeHtml', () => {
    const fake = { toString: () => '<b>x</b>' } as unknown as string;
    expect(tag`${fake}`.toString()).toBe('&lt;b&gt;x&lt;/b&gt;');
  });
});

describe('checkURL', () => {
  it.each([
    'https://pforte.example/enroll/ABC',
    'http://localhost:8080/app/',
    '/enroll/ABC/standard',
  ])('accepts %s', (url) => expect(checkURL(url)).toBe(url));

  it.each([
    'javascript:alert(1)',
    '//evil.example/',
    '/\\evil.example',
    'data:text/html,x',
    'nope',
  ])('refuses %s', (url) => expect(() => checkURL(url)).toThrow());

  it('accepts otpauth only when asked to', () => {
    const uri = 'otpauth://totp/Pforte:alice?secret=JBSWY3DPEHPK3PXP&issuer=Pforte';
    expect(checkURL(uri, ['otpauth:'])).toBe(uri);
    expect(() => checkURL(uri)).toThrow();
  });
});

describe('layout', () => {
  const doc = squash(
    layout({
      lang: 'de',
      title: 'Titel <1>',
      organisation: 'ACME & Co',
      body: tag`<h1>Hallo</h1>`,
    }).toString(),
  );

  it('is a complete document with language, charset, viewport and the two assets', () => {
    expect(doc).toMatch(/^<!doctype html><html lang="de">/);
    expect(doc).toContain('<meta charset="utf-8"/>');
    expect(doc).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(doc).toContain('<link rel="stylesheet" href="/assets/pforte.css"/>');
    expect(doc).toContain('<script src="/assets/pforte.js" defer></script>');
    expect(doc).toContain('<title>Titel &lt;1&gt; – ACME &amp; Co</title>');
  });

  it('has a header with the organisation and the body inside main', () => {
    expect(doc).toMatch(/<header[^>]*>.*ACME &amp; Co.*<\/header>/s);
    expect(doc).toMatch(/<main[^>]*>\s*<h1>Hallo<\/h1>\s*<\/main>/);
  });
});
