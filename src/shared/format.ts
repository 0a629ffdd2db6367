/**
 * Times are shown in UK time: Concord serves NHS boards in England, whose papers and
 * minutes are written in local time.
 */
const UK_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const UK_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });

/** "23 Nov 2026, 17:30" (UK time). */
export function ukDateTime(iso: string): string {
  return UK_DATE_TIME.format(new Date(iso));
}

export function ukDate(iso: string): string {
  return UK_DATE.format(new Date(iso));
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A calendar date as NHS board papers print it: "2026-12-01" → "Tuesday 1 December 2026". The one
 * style for a meeting's date on every card (agenda, poll). It has no zone, so it is formatted by
 * hand rather than through the host's locale.
 */
export function longDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return isoDate;
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return `${WEEKDAYS[date.getUTCDay()]} ${day} ${MONTHS[month - 1]} ${year}`;
}
