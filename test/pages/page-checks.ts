/** Shared checks on rendered documents. */
import { expect } from 'vitest';

/**
 * The markup with insignificant whitespace removed: the templates are formatted by Prettier,
 * which indents the HTML, so tests compare the squashed form.
 */
export function squash(doc: string): string {
  return doc
    .replace(/\s+/g, ' ')
    .replace(/>\s+/g, '>')
    .replace(/\s+</g, '<')
    .replace(/\s+(\/?>)/g, '$1');
}

/** The text a reader sees: tags removed, the entities `html` writes decoded, spaces collapsed. */
export function visibleText(doc: string): string {
  return doc
    .replace(/<head>.*<\/head>/s, '')
    .replace(/<svg\b.*?<\/svg>/gs, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(lt|gt|quot|#39|amp);/g, (_m, name: string) => ENTITIES[name]!)
    .replace(/\s+/g, ' ')
    .trim();
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };

/**
 * The page CSP allows no inline code: no style attributes or elements, no event-handler
 * attributes, no script without `src`, no `javascript:` URLs.
 */
export function expectNoInlineCode(doc: string): void {
  expect(doc).not.toMatch(/<style[\s>]/i);
  expect(doc).not.toMatch(/javascript:/i);
  for (const tag of doc.match(/<[a-z][^>]*>/gi) ?? []) {
    expect(tag).not.toMatch(/\sstyle\s*=/i);
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    if (/^<script\b/i.test(tag)) expect(tag).toMatch(/\ssrc="\/assets\/[a-z-]+\.js"/);
  }
  expect(doc).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/i);
}

/** Every `<label for>` names an element of the page, and every text input has a label. */
export function expectLabelledInputs(doc: string): void {
  const ids = new Set([...doc.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  const labelled = new Set([...doc.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
  for (const id of labelled) expect(ids).toContain(id);
  for (const [, id] of doc.matchAll(/<input\b[^>]*\sid="([^"]+)"/g)) expect(labelled).toContain(id);
  expect(doc).not.toMatch(/<input\b(?![^>]*\sid=)[^>]*>/);
}

/** Headings start at h1 and never skip a level on the way down. */
export function expectHeadingsInOrder(doc: string): void {
  const levels = [...doc.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
  expect(levels[0]).toBe(1);
  expect(levels.filter((l) => l === 1)).toHaveLength(1);
  for (let i = 1; i < levels.length; i++)
    expect(levels[i]!).toBeLessThanOrEqual(levels[i - 1]! + 1);
}

/** Ids are unique, so `for`, `aria-*` and `data-copy` references are unambiguous. */
export function expectUniqueIds(doc: string): void {
  const ids = [...doc.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
}

export function expectWellFormedPage(doc: string, lang: string): void {
  expect(doc).toMatch(new RegExp(`^<!doctype html>\\s*<html lang="${lang}">`));
  expect(doc).toMatch(/<main\b/);
  expectNoInlineCode(doc);
  expectLabelledInputs(doc);
  expectHeadingsInOrder(doc);
  expectUniqueIds(doc);
}
