import type { CardJson } from '../../cards/render';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import { campaignCard } from './cards';
import type { NudgeMessenger } from './delivery';
import { repeatJobId } from './jobs';
import type { SendBudget } from '../send-budget';
import { campaignCardData, summarize } from './report';
import type { CampaignStore } from './store';

export interface ProgressDeps {
  campaigns: CampaignStore;
  scheduler: Scheduler;
  budget: SendBudget;
  messenger: NudgeMessenger;
  logger: Logger;
  /** Rows finished per second lately. */
  rate(campaignId: string): number;
}

/**
 * The admin's campaign card, kept current in place: counts by state, rate and time left while
 * sending, then the report. Updates take a slot in the send budget's bulk lane, with the nudges,
 * and a progress update is skipped while the previous one is still on its way.
 */
export class ProgressCards {
  private readonly updates = new Map<string, Promise<void>>();

  constructor(private readonly d: ProgressDeps) {}

  /** With details, scans the campaign's rows for clicks and reasons (for the report). */
  async card(id: string, details: boolean, notice = ''): Promise<CardJson | undefined> {
    const campaign = await this.d.campaigns.campaign(id);
    if (!campaign) return undefined;
    const counts = await this.d.campaigns.counts(id);
    const repeat = details ? await this.d.scheduler.get(repeatJobId(id)) : undefined;
    return campaignCard(
      campaignCardData({
        campaign,
        counts,
        rate: this.d.rate(id),
        details: details ? summarize(await this.d.campaigns.rows(id)) : undefined,
        nextReminder: repeat?.dueAt,
        notice,
      }),
    );
  }

  async update(id: string, details: boolean): Promise<void> {
    const running = this.updates.get(id);
    if (running && !details) return;
    const work = (async () => {
      await running;
      const campaign = await this.d.campaigns.campaign(id);
      if (!campaign?.card) return;
      const card = await this.card(id, details);
      if (!card) return;
      await this.d.budget.acquire(`card:${campaign.card.ref.conversation?.id ?? id}`, 'bulk');
      await this.d.messenger.update(campaign.card, card);
    })()
      .catch((err: unknown) => this.d.logger.warn({ err, campaign: id }, 'could not update the campaign card'))
      .finally(() => {
        if (this.updates.get(id) === work) this.updates.delete(id);
      });
    this.updates.set(id, work);
    await work;
  }

  /** Waits for updates on their way (before shutting down). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.updates.values());
  }
}
