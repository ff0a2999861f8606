/**
 * A wait as a person reads it, with the plural right: "eine Sekunde", "40 Sekunden",
 * "5 Minuten", "2 hours". Seconds under a minute, then whole minutes, then whole hours,
 * each rounded up: telling someone to wait less than they must only earns another refusal.
 */
import type { Lang } from './messages.js';

const UNITS: Record<Lang, Record<'second' | 'minute' | 'hour', [string, string]>> = {
  de: {
    second: ['eine Sekunde', 'Sekunden'],
    minute: ['eine Minute', 'Minuten'],
    hour: ['eine Stunde', 'Stunden'],
  },
  en: {
    second: ['one second', 'seconds'],
    minute: ['one minute', 'minutes'],
    hour: ['one hour', 'hours'],
  },
};

export function waitText(lang: Lang, seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  const [unit, count] =
    whole < 60
      ? (['second', whole] as const)
      : whole < 3600
        ? (['minute', Math.ceil(whole / 60)] as const)
        : (['hour', Math.ceil(whole / 3600)] as const);
  const [one, many] = UNITS[lang][unit];
  return count === 1 ? one : `${count} ${many}`;
}
