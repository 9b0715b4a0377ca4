/**
 * Times as people read them: in their own time zone (Teams sends it with each message) or the
 * practice's, with the zone named, e.g. "4:06 PM EST" or "Dec 7, 4:06 PM EST". One place, so a
 * card, a chat line and an email say the same time the same way.
 */

/** An IANA time zone name, e.g. "America/Chicago". */
export type TimeZone = string;

export const UTC: TimeZone = 'UTC';

/** Whether this runtime knows the zone (Teams could send anything). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parts(iso: string | Date, zone: TimeZone, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone }).format(new Date(iso));
}

/** "4:06 PM EST". */
export function timeOfDay(iso: string | Date, zone: TimeZone): string {
  return parts(iso, zone, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
}

/** "Dec 7, 4:06 PM EST". */
export function dateAndTime(iso: string | Date, zone: TimeZone): string {
  const day = parts(iso, zone, { month: 'short', day: 'numeric' });
  return `${day}, ${timeOfDay(iso, zone)}`;
}
