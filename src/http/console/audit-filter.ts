/**
 * The audit log's filters as the console's address carries them (`?user=&action=&outcome=
 * &face=&address=&since=&until=&cursor=`), read into the core's `AuditQuery`. Times are
 * the operator's: a date, or a date and time, in the server's time zone (what
 * `<input type="datetime-local">` sends); `since` also takes a duration back from now
 * (`24h`, `7d`, `30m`), which the overview links to. `until` includes the day or minute
 * it names. Anything else is refused with what the field takes, never guessed.
 */
import { AUDIT_FACES, AUDIT_OUTCOMES, type AuditQuery } from '../../audit/record.js';
import { invalid } from '../../errors.js';
import { auditTexts } from '../../text/console/audit.js';
import type { Lang } from '../../text/i18n.js';
import { textLength } from '../../users/fields.js';

export const FILTER_FIELDS = [
  'user',
  'action',
  'outcome',
  'face',
  'address',
  'since',
  'until',
] as const;
export type AuditFilter = Record<(typeof FILTER_FIELDS)[number], string>;

const TEXT_MAX = 256;
const CURSOR_MAX = 400;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The filters as typed (for the form) and as the core takes them. */
export function readAuditFilter(
  lang: Lang,
  raw: unknown,
  now: number,
): { filter: AuditFilter; query: AuditQuery } {
  const t = auditTexts[lang];
  const params = (raw ?? {}) as Record<string, unknown>;
  const text = (name: string, label: string, max = TEXT_MAX): string => {
    const value = params[name] ?? '';
    if (
      typeof value !== 'string' ||
      textLength(value) > max ||
      // Control characters never appear in a recorded value.
      hasControlCharacter(value)
    ) {
      throw invalid(t.badFilter(label, t.textHint));
    }
    return value.trim();
  };
  const filter = {} as AuditFilter;
  const labels: AuditFilter = {
    user: t.user,
    action: t.action,
    outcome: t.outcome,
    face: t.face,
    address: t.address,
    since: t.since,
    until: t.until,
  };
  for (const name of FILTER_FIELDS) filter[name] = text(name, labels[name]);
  const cursor = text('cursor', 'cursor', CURSOR_MAX);

  const oneOf = <T extends string>(value: string, choices: readonly T[], label: string) => {
    if (!value || (choices as readonly string[]).includes(value)) return value as T | '';
    throw invalid(t.badFilter(label, t.choiceHint(choices.join(', '))));
  };
  const outcome = oneOf(filter.outcome, AUDIT_OUTCOMES, t.outcome);
  const face = oneOf(filter.face, AUDIT_FACES, t.face);
  const since = filter.since ? readTime(filter.since, 'start', now) : undefined;
  const until = filter.until ? readTime(filter.until, 'end', now) : undefined;
  if (Number.isNaN(since)) throw invalid(t.badFilter(t.since, t.timeHint));
  if (Number.isNaN(until)) throw invalid(t.badFilter(t.until, t.timeHint));
  if (since !== undefined && until !== undefined && until <= since) {
    throw invalid(t.untilBeforeSince);
  }
  const query: AuditQuery = {
    ...(filter.user ? { username: filter.user.toLowerCase() } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(outcome ? { outcome } : {}),
    ...(face ? { face } : {}),
    ...(filter.address ? { address: filter.address } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(cursor ? { cursor } : {}),
  };
  return { filter, query };
}

/**
 * A moment from the form, in milliseconds; NaN when it is none. `end`: the first moment
 * after the day or minute named, so that "until 2026-12-01" includes that day.
 */
export function readTime(input: string, edge: 'start' | 'end', now: number): number {
  const back = /^(\d{1,5})([mhd])$/.exec(input);
  if (back) return edge === 'start' ? now - Number(back[1]) * UNIT_MS[back[2] as 'm'] : NaN;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(input)) {
    // An exact instant with its zone (a link from another tool): taken as it is.
    return Date.parse(input);
  }
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(input);
  if (!local) return NaN;
  const [year, month, day, hour, minute, second] = local.slice(1).map((p) => Number(p ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(year, month - 1, day, hour, minute, second);
  // new Date rolls 2026-02-30 over into March: a date that does not exist is refused.
  const exists =
    at.getFullYear() === year &&
    at.getMonth() === month - 1 &&
    at.getDate() === day &&
    at.getHours() === hour &&
    at.getMinutes() === minute &&
    year >= 1970;
  if (!exists) return NaN;
  if (edge === 'start') return at.getTime();
  if (local[4] === undefined) return new Date(year, month - 1, day + 1).getTime();
  return at.getTime() + (local[6] === undefined ? 60_000 : 1000);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
