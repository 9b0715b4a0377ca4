import { DAY, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { Campaign, OutboxRow } from './model';
import { measureOutcome } from './outcome';
import type { CampaignService } from './service';

/**
 * Durable follow-ups through the scheduler: reminder rounds every N days (only to people who got
 * the last nudge and still haven't registered), one person's "remind me in 3 days", and the
 * seven-day outcome count.
 */

export const REPEAT_JOB = 'campaign.repeat';
export const SNOOZE_JOB = 'campaign.snooze';
export const OUTCOME_JOB = 'campaign.outcome';
export const SNOOZE_DAYS = 3;

export const repeatJobId = (campaignId: string) => `campaign-repeat:${campaignId}`;
export const outcomeJobId = (campaignId: string) => `campaign-outcome:${campaignId}`;
export const snoozeJobId = (campaignId: string, userId: string) => `campaign-snooze:${campaignId}:${userId}`;

interface RepeatPayload {
  campaignId: string;
  round: number;
}
interface SnoozePayload {
  campaignId: string;
  userId: string;
}

/** Whether reminders are still to come (a later round, or someone's snooze). */
export async function remindersPending(scheduler: Scheduler, campaign: Campaign, now: Date): Promise<boolean> {
  const later = (job: { dueAt: string }) => Date.parse(job.dueAt) > now.getTime();
  const repeat = await scheduler.get(repeatJobId(campaign.id));
  if (repeat && later(repeat) && (repeat.payload as RepeatPayload).round > campaign.round) return true;
  return (await scheduler.pending(SNOOZE_JOB)).some((j) => (j.payload as SnoozePayload).campaignId === campaign.id && later(j));
}

function requeue(row: OutboxRow, round: number, now: Date): OutboxRow {
  return { ...row, state: 'queued', round, attempts: 0, dueAt: now.toISOString(), reason: undefined, activityId: undefined, snoozedUntil: undefined };
}

export interface JobDeps {
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
}

export function registerCampaignJobs(service: CampaignService, d: JobDeps): void {
  d.scheduler.register<RepeatPayload>(REPEAT_JOB, async ({ campaignId, round }) => {
    const c = await service.campaigns.campaign(campaignId);
    const repeat = c?.spec.repeat;
    if (!c || !repeat || c.status === 'cancelled') return;
    const now = d.clock.now();
    if (c.status === 'running' || c.status === 'preparing') {
      // The last round is still going out: try again in an hour.
      await d.scheduler.schedule(REPEAT_JOB, new Date(now.getTime() + DAY / 24), { campaignId, round }, repeatJobId(campaignId));
      return;
    }
    if (round - 1 < repeat.maxTimes) {
      await d.scheduler.schedule(REPEAT_JOB, new Date(now.getTime() + repeat.everyDays * DAY), { campaignId, round: round + 1 }, repeatJobId(campaignId));
    }
    await service.reopen(campaignId, round);
    let queued = 0;
    for (const row of await service.campaigns.rows(campaignId)) {
      if (row.state !== 'sent' || row.round >= round || (row.snoozedUntil && Date.parse(row.snoozedUntil) > now.getTime())) continue;
      const next = await service.campaigns.updateRow(campaignId, row.recipient.id, (r) =>
        r.state === 'sent' && r.round < round ? requeue(r, round, now) : undefined,
      );
      if (next?.state === 'queued') queued += 1;
    }
    d.logger.info({ campaign: campaignId, round, queued }, 'reminder round queued');
    service.sender.kick(campaignId);
  });

  d.scheduler.register<SnoozePayload>(SNOOZE_JOB, async ({ campaignId, userId }) => {
    const c = await service.campaigns.campaign(campaignId);
    const row = (await service.campaigns.row(campaignId, userId))?.value;
    if (!c || c.status === 'cancelled' || !row || row.state !== 'sent' || row.registeredAt) return;
    const now = d.clock.now();
    await service.reopen(campaignId);
    await service.campaigns.updateRow(campaignId, userId, (r) => (r.state === 'sent' ? requeue(r, r.round + 1, now) : undefined));
    service.sender.kick(campaignId);
  });

  d.scheduler.register<{ campaignId: string }>(OUTCOME_JOB, async ({ campaignId }) => {
    const rows = await service.campaigns.rows(campaignId);
    if (rows.length === 0) return;
    const { outcome, registeredIds } = await measureOutcome(service.reports, rows, d.clock, true);
    // Each person's completion goes on their row too (and into the export).
    for (const row of rows) {
      if (row.registeredAt || !registeredIds.has(row.recipient.id)) continue;
      await service.campaigns.updateRow(campaignId, row.recipient.id, (r) => (r.registeredAt ? undefined : { ...r, registeredAt: outcome.checkedAt }));
    }
    await service.campaigns.updateCampaign(campaignId, (c) => ({ ...c, outcome }));
    await service.updateCard(campaignId, true);
  });
}

/** "Remind me in 3 days": counts the click, holds back reminder rounds, schedules theirs. */
export async function snoozeNudge(service: CampaignService, scheduler: Scheduler, clock: Clock, campaignId: string, userId: string): Promise<OutboxRow | undefined> {
  const until = new Date(clock.now().getTime() + SNOOZE_DAYS * DAY);
  const row = await recordClick(service, clock, campaignId, userId, 'snooze', until);
  if (row) await scheduler.schedule(SNOOZE_JOB, until, { campaignId, userId }, snoozeJobId(campaignId, userId));
  return row;
}

/** Counts a button press on a nudge; undefined when this person wasn't a recipient. */
export async function recordClick(
  service: CampaignService,
  clock: Clock,
  campaignId: string,
  userId: string,
  kind: 'setup' | 'snooze' | 'help',
  snoozedUntil?: Date,
): Promise<OutboxRow | undefined> {
  const at = clock.now().toISOString();
  return service.campaigns.updateRow(campaignId, userId, (r) => ({
    ...r,
    clicks: { ...r.clicks, [kind]: r.clicks[kind] + 1, lastAt: at },
    snoozedUntil: snoozedUntil ? snoozedUntil.toISOString() : r.snoozedUntil,
  }));
}
