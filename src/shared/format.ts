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
