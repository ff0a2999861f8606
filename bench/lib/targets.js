// @ts-check
// The target logic: a measure against its bound, in the summary's words.
import { fmt } from './format.js';

/** @typedef {import('./types.js').Target} Target */
/** @typedef {import('./types.js').Row} Row */

/** Two decimals, or three where two would round onto the target. @param {number} value @param {number} target */
const ratio = (value, target) => fmt(value, Math.abs(value - target) < 0.005 ? 3 : 2);

/** @param {number} value @param {Target} target */
export function meets(value, target) {
  if (target.bound === '≥') return value >= target.value;
  return target.bound === '≤' ? value <= target.value : value < target.value;
}

/**
 * The bold row of a measure with a target: "met", "**missed**", or "n/a" when the
 * measure could not be taken.
 * @param {string} label
 * @param {number} value
 * @param {Target} target
 * @param {string} [detail] after the result, such as the ratio per CPU-second
 * @returns {Row}
 */
export function targetRow(label, value, target, detail = '') {
  const unit = target.unit ? ` ${target.unit}` : '';
  const result = target.unit ? `${fmt(value, target.digits)}${unit}` : ratio(value, target.value);
  const verdict = meets(value, target) ? 'met' : '**missed**';
  return [
    `**${label}**`,
    `**${result}**${detail ? ` ${detail}` : ''}`,
    `${target.bound} ${target.value}${unit}`,
    Number.isFinite(value) ? verdict : 'n/a',
  ];
}

/** A row without a target. @param {string} label @param {string} result @returns {Row} */
export function plainRow(label, result) {
  return [label, result, '', ''];
}
