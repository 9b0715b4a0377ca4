import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { ConflictError, type StoredDoc } from '../storage/types';
import type { Delivery, DeliveryResult } from './delivery';
import { afterRetryAfter, backoffMs } from './failures';
import type { Campaign, FinalState, OutboxRow } from './model';
import type { SendingGate } from './sender-lease';
import type { CampaignStore } from './store';

export interface SenderTuning {
  /** How long a claimed row is reserved; after a crash it is sent again once this runs out. */
  leaseMs: number;
  /**
   * Rows being worked on at once. Each first checks the registration, then queues for the send
   * budget; a second's worth in flight keeps the budget's slots used while Graph calls are slow.
   */
  concurrency: number;
  /** Attempts per row and round before it is marked failed. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Longest wait before looking for due rows again. */
  pollMs: number;
  /** How often the admin's progress card is updated while sending. */
  progressEveryMs: number;
}

export const DEFAULT_TUNING: SenderTuning = {
  // Renewed every 10 s while a nudge waits; a killed instance's nudges are sent again 30 s on.
  leaseMs: 30_000,
  concurrency: 64,
  maxAttempts: 6,
  backoffBaseMs: 2000,
  backoffCapMs: 120_000,
  pollMs: 1000,
  progressEveryMs: 3000,
};

export interface SenderHooks {
  /** Called now and then while a campaign is sending. */
  progress(campaignId: string): void;
  /** Every row is final (or the campaign was cancelled and its queue emptied). */
  finished(campaignId: string): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Works through a campaign's outbox: claims due rows (eTag + lease), runs each through Delivery
 * with bounded concurrency, and records the result: a final state, or queued again for later
 * with backoff. A row claimed by a process that died is claimed again after its lease, so at
 * most the messages in flight at the crash can be sent twice.
 */
export class CampaignSender {
  private readonly loops = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly completions = new Map<string, number[]>();
  private stopping = false;

  constructor(
    private readonly store: CampaignStore,
    private readonly delivery: Delivery<unknown>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly tuning: SenderTuning,
    private readonly hooks: SenderHooks,
    private readonly gate: SendingGate = { holds: () => true },
  ) {}

  isSending(campaignId: string): boolean {
    return this.loops.has(campaignId);
  }

  /** Starts sending a campaign's due rows, unless that is already happening in this process. */
  kick(campaignId: string): void {
    // Not ours to send: the lease holder finds the campaign on its next look.
    if (this.stopping || !this.gate.holds()) return;
    if (this.loops.has(campaignId)) {
      this.again.add(campaignId);
      return;
    }
    const loop = this.loop(campaignId)
      .catch((err: unknown) =>
        this.logger.error({ err, campaign: campaignId }, 'campaign sender stopped'),
      )
      .finally(() => this.loops.delete(campaignId));
    this.loops.set(campaignId, loop);
  }

  /** Stops taking rows and waits for the ones in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.loops.values()]);
  }

  /** Rows finished per second over the last ten seconds. */
  rate(campaignId: string): number {
    const now = Date.now();
    const times = (this.completions.get(campaignId) ?? []).filter((t) => t > now - 10_000);
    this.completions.set(campaignId, times);
    if (times.length < 2) return times.length;
    return times.length / Math.max(1, (now - times[0]!) / 1000);
  }

  private async loop(id: string): Promise<void> {
    const inFlight = new Map<string, Promise<void>>();
    let lastProgress = 0;
    const progress = (force = false) => {
      const now = Date.now();
      if (force || now - lastProgress >= this.tuning.progressEveryMs) {
        lastProgress = now;
        this.hooks.progress(id);
      }
    };
    progress(true);
    let handedOver = false;
    for (;;) {
      if (this.stopping) break;
      if (!this.gate.holds()) {
        handedOver = true;
        break;
      }
      try {
        const campaign = await this.store.campaign(id);
        if (!campaign || campaign.status === 'cancelled') {
          await Promise.allSettled(inFlight.values());
          if (campaign) await this.store.cancelQueued(id, 'campaign cancelled');
          break;
        }
        const now = this.clock.now();
        const batch = Math.min(200, this.tuning.concurrency * 4);
        const due = (await this.store.dueRows(id, now, batch)).filter((d) => !inFlight.has(d.key));
        if (due.length === 0) {
          if (inFlight.size > 0) {
            await Promise.race([...inFlight.values(), sleep(this.tuning.pollMs)]);
          } else {
            const wake = await this.store.nextWake(id);
            if (!wake) {
              if (this.again.delete(id)) continue;
              break;
            }
            await sleep(Math.min(this.tuning.pollMs, wake.getTime() - this.clock.now().getTime()));
          }
          progress();
          continue;
        }
        for (const doc of due) {
          while (inFlight.size >= this.tuning.concurrency) await Promise.race(inFlight.values());
          if (this.stopping || !this.gate.holds()) break;
          // Claimed inside the task, not one after another here: on a remote store each claim is
          // a round trip, and in a row they would pace the sends.
          const task = this.store
            .claim(doc, new Date(this.clock.now().getTime() + this.tuning.leaseMs))
            .then((claimed) => claimed && this.attempt(claimed, campaign))
            .catch((err: unknown) =>
              this.logger.warn({ err, campaign: id }, 'could not claim a nudge; trying it later'),
            )
            .finally(() => inFlight.delete(doc.key));
          inFlight.set(doc.key, task);
          progress();
        }
      } catch (err) {
        this.logger.error(
          { err, campaign: id },
          'campaign sender pass failed; trying again shortly',
        );
        await sleep(this.tuning.pollMs);
      }
    }
    await Promise.allSettled(inFlight.values());
    if (handedOver)
      this.logger.warn({ campaign: id }, 'lost the campaign sender lease; another instance sends');
    else if (!this.stopping) await this.hooks.finished(id);
  }

  private async attempt(claimed: StoredDoc<OutboxRow>, campaign: Campaign): Promise<void> {
    let etag = claimed.etag;
    let row = claimed.value;
    let writes = Promise.resolve();
    // Keep the claim while the row waits for a slot (a long global pause, say).
    const renew = setInterval(
      () => {
        writes = writes
          .then(async () => {
            const leased = {
              ...row,
              leaseUntil: new Date(this.clock.now().getTime() + this.tuning.leaseMs).toISOString(),
            };
            etag = await this.store.saveRow(leased, etag);
            row = leased;
          })
          .catch((err: unknown) =>
            this.logger.warn({ err, campaign: campaign.id }, 'could not renew a nudge claim'),
          );
      },
      Math.max(50, Math.floor(this.tuning.leaseMs / 3)),
    );
    let result: DeliveryResult;
    try {
      result = await this.delivery.deliver(row, campaign);
    } catch (err) {
      this.logger.warn({ err, campaign: campaign.id }, 'nudge attempt failed unexpectedly');
      result = {
        retry: {
          throttled: false,
          reason: `unexpected error: ${String((err as Error)?.message ?? err).slice(0, 100)}`,
        },
      };
    } finally {
      clearInterval(renew);
    }
    await writes;
    try {
      const saved = await this.record(row, etag, result);
      if (saved && saved.state !== 'queued') this.completed(campaign.id);
    } catch (err) {
      this.logger.error(
        { err, campaign: campaign.id },
        'could not record a nudge result; it will be retried after its lease',
      );
    }
  }

  /**
   * Saves the attempt's result. A click may have changed the row meanwhile (its eTag moved): the
   * result is merged into the fresh row as long as the claim is still ours.
   */
  private async record(
    row: OutboxRow,
    etag: string,
    result: DeliveryResult,
  ): Promise<OutboxRow | undefined> {
    let current = row;
    let currentEtag = etag;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const next = this.settle(current, result);
      try {
        await this.store.saveRow(next, currentEtag);
        return next;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        const fresh = await this.store.row(row.campaignId, row.recipient.id);
        const ours =
          fresh?.value.state === 'sending' &&
          fresh.value.lastAttemptAt === row.lastAttemptAt &&
          fresh.value.attempts === row.attempts;
        if (!fresh || !ours) {
          this.logger.warn(
            { campaign: row.campaignId },
            'a nudge row was taken over by another sender; leaving it to them',
          );
          return undefined;
        }
        current = fresh.value;
        currentEtag = fresh.etag;
      }
    }
    throw new Error('could not record a nudge result: the row keeps changing');
  }

  private settle(row: OutboxRow, result: DeliveryResult): OutboxRow {
    const now = this.clock.now();
    if ('final' in result)
      return {
        ...finalRow(row, result.final, now, result.reason, result.activityId),
        checkedBy: result.checkedBy ?? row.checkedBy,
      };
    const { retry } = result;
    if (row.attempts >= this.tuning.maxAttempts) {
      return finalRow(
        row,
        'failed',
        now,
        `gave up after ${row.attempts} attempts (${retry.reason})`,
      );
    }
    const wait =
      retry.afterMs !== undefined
        ? afterRetryAfter(retry.afterMs)
        : backoffMs(row.attempts, this.tuning.backoffBaseMs, this.tuning.backoffCapMs);
    return {
      ...row,
      state: 'queued',
      dueAt: new Date(now.getTime() + wait).toISOString(),
      leaseUntil: undefined,
      reason: retry.reason,
      needsInstall: retry.needsInstall ?? row.needsInstall,
    };
  }

  private completed(campaignId: string): void {
    const list = this.completions.get(campaignId) ?? [];
    list.push(Date.now());
    if (list.length > 5000) list.splice(0, list.length - 5000);
    this.completions.set(campaignId, list);
  }
}

function finalRow(
  row: OutboxRow,
  state: FinalState,
  now: Date,
  reason?: string,
  activityId?: string,
): OutboxRow {
  const at = now.toISOString();
  return {
    ...row,
    state,
    reason,
    leaseUntil: undefined,
    activityId: activityId ?? row.activityId,
    needsInstall: state === 'sent' ? false : row.needsInstall,
    registeredAt: state === 'skipped' ? (row.registeredAt ?? at) : row.registeredAt,
    history: [...row.history, { round: row.round, state, reason, attempts: row.attempts, at }],
  };
}
