import type { Activity } from 'botbuilder';
import { isTimeZone, type TimeZone } from '../services/time';

/**
 * The time zone to show a person times in: the one their Teams client sends with each activity
 * (`localTimezone`), else the practice's. What Teams sends is checked, not trusted.
 */
export function zoneOf(activity: Partial<Activity>, practice: TimeZone): TimeZone {
  const sent = activity.localTimezone;
  return typeof sent === 'string' && sent.length <= 64 && isTimeZone(sent) ? sent : practice;
}
