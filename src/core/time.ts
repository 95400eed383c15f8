// Human wording for instants relative to "now", shared by certificate findings, hovers and the validator.
// Callers always pass `now` so that tests can pin the clock.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** The distance between two instants in the largest unit that reads naturally, e.g. "23 days", "3 hours". */
export function describeDuration(milliseconds: number): string {
  const ms = Math.abs(milliseconds);
  if (ms < MINUTE) return 'less than a minute';
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return plural(Math.floor(ms / HOUR), 'hour');
  // Days stay exact up to two years: "expires in 400 days" is more useful than "in 1 year".
  if (ms < 2 * 365 * DAY) return plural(Math.floor(ms / DAY), 'day');
  return plural(Math.floor(ms / YEAR), 'year');
}

/** "in 23 days", "12 days ago", "in 3 hours", "less than a minute ago". */
export function relativeTime(target: Date, now: Date): string {
  const delta = target.getTime() - now.getTime();
  const distance = describeDuration(delta);
  return delta >= 0 ? `in ${distance}` : `${distance} ago`;
}

/** Whole days from `now` until `target` (negative when in the past), rounded towards zero. */
export function wholeDaysUntil(target: Date, now: Date): number {
  return Math.trunc((target.getTime() - now.getTime()) / DAY);
}

/** Calendar date in UTC, e.g. "2026-11-17". */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Date and time in UTC without milliseconds, e.g. "2026-11-17 08:15:00 UTC". */
export function formatDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
