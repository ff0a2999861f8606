// @ts-check
// How numbers and tables are printed.
import os from 'node:os';

/**
 * A number with `digits` decimals and thousands separators, or "n/a".
 * @param {number} value
 * @param {number} [digits]
 */
export function fmt(value, digits = 0) {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** @param {number} kb */
export const mb = (kb) => (kb * 1024) / 1e6;
/** 10000 → "10 000". @param {number} n */
export const spaced = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
/** @param {number} share */
export const percent = (share) => `${fmt(share * 100)} %`;

/**
 * A markdown table; columns are right-aligned (numbers) except the first, by default.
 * @param {string[]} header
 * @param {string[][]} rows
 * @param {('left' | 'right')[]} [align]
 */
export function markdownTable(
  header,
  rows,
  align = header.map((_, i) => (i === 0 ? 'left' : 'right')),
) {
  /** @param {string[]} cells */
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(align.map((a) => (a === 'left' ? '---' : '---:'))),
    ...rows.map(line),
  ].join('\n');
}

/** @param {number} cores */
export function machine(cores) {
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `Node ${process.version}, ${os.platform()} ${os.arch()}, ${cores} cores (${cpu})`;
}
