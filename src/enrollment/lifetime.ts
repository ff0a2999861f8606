/** "7d", "48h", "30m" → milliseconds, for `--lifetime` and the REST field. */
import { invalid } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseLifetime(text: string): number {
  const match = /^(\d{1,4})([mhd])$/.exec(text.trim());
  if (!match) throw invalid('lifetime must be a number with m, h or d, such as 7d, 48h or 30m');
  return Number(match[1]) * UNITS[match[2]!]!;
}
