import { DAY, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import {
  OUTCOME_JOB,
  REPEAT_JOB,
  repeatJobId,
  SNOOZE_DAYS,
  SNOOZE_JOB,
  snoozeJobId,
  type RepeatPayload,
  type SnoozePayload,
} from './job-names';
import type { Campaign, OutboxRow } from './model';
import { measureOutcome } from './outcome';
import type { ScanSource } from './coverage';
import type { CampaignStore } from './store';

/**
 * Durable follow-ups through the scheduler: reminder rounds every N days (only to people who got
 * the last nudge and still haven't registered), one person's "remind me in 3 days", and the
 * seven-day outcome count.
 */

function requeue(row: OutboxRow, round: number, now: Date): OutboxRow {
  return {
    ...row,
    state: 'queued',
    round,
    attempts: 0,
    dueAt: now.toISOString(),
    reason: undefined,
    activityId: undefined,
    snoozedUntil: undefined,
  };
}

export interface JobDeps {
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
}

/** What the campaign's jobs do to a campaign (CampaignService provides it). */
export interface CampaignJobHost {
  readonly store: CampaignStore;
  readonly reports: ScanSource;
  readonly sender: { kick(campaignId: string): void };
  reopen(id: string, round?: number): Promise<Campaign | undefined>;
  updateCard(id: string, details: boolean): Promise<void>;
}

export function registerCampaignJobs(service: CampaignJobHost, deps: JobDeps): void {
  deps.scheduler.register<RepeatPayload>(REPEAT_JOB, async ({ campaignId, round }) => {
    const campaign = await service.store.campaign(campaignId);
    const repeat = campaign?.spec.repeat;
    if (!campaign || !repeat || campaign.status === 'cancelled') return;
    const now = deps.clock.now();
    if (campaign.status === 'running' || campaign.status === 'preparing') {
      // The last round is still going out: try again in an hour.
      await deps.scheduler.schedule(
        REPEAT_JOB,
        new Date(now.getTime() + DAY / 24),
        { campaignId, round },
        repeatJobId(campaignId),
      );
      return;
    }
    if (round - 1 < repeat.maxTimes) {
      await deps.scheduler.schedule(
        REPEAT_JOB,
        new Date(now.getTime() + repeat.everyDays * DAY),
        { campaignId, round: round + 1 },
        repeatJobId(campaignId),
      );
    }
    await service.reopen(campaignId, round);
    let queued = 0;
    for await (const row of service.store.eachRow(campaignId)) {
      if (
        row.state !== 'sent' ||
        row.round >= round ||
        (row.snoozedUntil && Date.parse(row.snoozedUntil) > now.getTime())
      )
        continue;
      const next = await service.store.updateRow(campaignId, row.recipient.id, (r) =>
        r.state === 'sent' && r.round < round ? requeue(r, round, now) : undefined,
      );
      if (next?.state === 'queued') queued += 1;
    }
    deps.logger.info({ campaign: campaignId, round, queued }, 'reminder round queued');
    service.sender.kick(campaignId);
  });

  deps.scheduler.register<SnoozePayload>(SNOOZE_JOB, async ({ campaignId, userId }) => {
    const campaign = await service.store.campaign(campaignId);
    const row = (await service.store.row(campaignId, userId))?.value;
    if (
      !campaign ||
      campaign.status === 'cancelled' ||
      !row ||
      row.state !== 'sent' ||
      row.registeredAt
    )
      return;
    const now = deps.clock.now();
    await service.reopen(campaignId);
    await service.store.updateRow(campaignId, userId, (r) =>
      r.state === 'sent' ? requeue(r, r.round + 1, now) : undefined,
    );
    service.sender.kick(campaignId);
  });

  deps.scheduler.register<{ campaignId: string }>(OUTCOME_JOB, async ({ campaignId }) => {
    const { outcome, registeredIds } = await measureOutcome(
      service.reports,
      service.store.eachRow(campaignId),
      deps.clock,
      true,
    );
    if (outcome.recipients === 0) return;
    // Each person's completion goes on their row too (and into the export).
    for await (const row of service.store.eachRow(campaignId)) {
      if (row.registeredAt || !registeredIds.has(row.recipient.id)) continue;
      await service.store.updateRow(campaignId, row.recipient.id, (r) =>
        r.registeredAt ? undefined : { ...r, registeredAt: outcome.checkedAt },
      );
    }
    await service.store.updateCampaign(campaignId, (current) => ({ ...current, outcome }));
    await service.updateCard(campaignId, true);
  });
}

/** "Remind me in 3 days": counts the click, holds back reminder rounds, schedules theirs. */
export async function snoozeNudge(
  store: CampaignStore,
  scheduler: Scheduler,
  clock: Clock,
  campaignId: string,
  userId: string,
): Promise<OutboxRow | undefined> {
  const until = new Date(clock.now().getTime() + SNOOZE_DAYS * DAY);
  const row = await recordClick(store, clock, campaignId, userId, 'snooze', until);
  if (row)
    await scheduler.schedule(
      SNOOZE_JOB,
      until,
      { campaignId, userId },
      snoozeJobId(campaignId, userId),
    );
  return row;
}

/** Counts a button press on a nudge; undefined when this person wasn't a recipient. */
export async function recordClick(
  store: CampaignStore,
  clock: Clock,
  campaignId: string,
  userId: string,
  kind: 'setup' | 'snooze' | 'help',
  snoozedUntil?: Date,
): Promise<OutboxRow | undefined> {
  const at = clock.now().toISOString();
  return store.updateRow(campaignId, userId, (r) => ({
    ...r,
    clicks: { ...r.clicks, [kind]: r.clicks[kind] + 1, lastAt: at },
    snoozedUntil: snoozedUntil ? snoozedUntil.toISOString() : r.snoozedUntil,
  }));
}
