import type { Scheduler } from '../scheduler';
import type { Campaign } from './model';

/** The campaign's scheduled jobs: their names, ids and payloads, for whoever schedules or reads them. */

export const REPEAT_JOB = 'campaign.repeat';
export const SNOOZE_JOB = 'campaign.snooze';
export const OUTCOME_JOB = 'campaign.outcome';
export const SNOOZE_DAYS = 3;

export const repeatJobId = (campaignId: string) => `campaign-repeat:${campaignId}`;
export const outcomeJobId = (campaignId: string) => `campaign-outcome:${campaignId}`;
export const snoozeJobId = (campaignId: string, userId: string) =>
  `campaign-snooze:${campaignId}:${userId}`;

export interface RepeatPayload {
  campaignId: string;
  round: number;
}
export interface SnoozePayload {
  campaignId: string;
  userId: string;
}

/** Whether reminders are still to come (a later round, or someone's snooze). */
export async function remindersPending(
  scheduler: Scheduler,
  campaign: Campaign,
  now: Date,
): Promise<boolean> {
  const later = (job: { dueAt: string }) => Date.parse(job.dueAt) > now.getTime();
  const repeat = await scheduler.get(repeatJobId(campaign.id));
  if (repeat && later(repeat) && (repeat.payload as RepeatPayload).round > campaign.round)
    return true;
  return (await scheduler.pending(SNOOZE_JOB)).some(
    (j) => (j.payload as SnoozePayload).campaignId === campaign.id && later(j),
  );
}
