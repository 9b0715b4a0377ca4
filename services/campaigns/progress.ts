import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { NudgeMessenger } from './delivery';
import { repeatJobId } from './job-names';
import type { SendBudget } from '../send-budget';
import { campaignCardData, summarize } from './report';
import type { CampaignStore } from './store';
import type { CampaignViews } from './views';
import type { TimeZone } from '../time';

export interface ProgressDeps<Card> {
  store: CampaignStore;
  views: Pick<CampaignViews<Card>, 'progress'>;
  scheduler: Scheduler;
  budget: SendBudget;
  messenger: NudgeMessenger<Card>;
  logger: Logger;
  /** Rows finished per second lately. */
  rate(campaignId: string): number;
  timeZone: TimeZone;
}

/**
 * The admin's campaign card, kept current in place: counts by state, rate and time left while
 * sending, then the report. Updates take a slot in the send budget's bulk lane, with the nudges,
 * and a progress update is skipped while the previous one is still on its way.
 */
export class ProgressCards<Card> {
  private readonly updates = new Map<string, Promise<void>>();

  constructor(private readonly deps: ProgressDeps<Card>) {}

  /** With details, scans the campaign's rows for clicks and reasons (for the report). */
  async card(id: string, details: boolean, notice = ''): Promise<Card | undefined> {
    const campaign = await this.deps.store.campaign(id);
    if (!campaign) return undefined;
    const counts = await this.deps.store.counts(id);
    const repeat = details ? await this.deps.scheduler.get(repeatJobId(id)) : undefined;
    return this.deps.views.progress(
      campaignCardData({
        campaign,
        counts,
        rate: this.deps.rate(id),
        details: details ? await summarize(this.deps.store.eachRow(id)) : undefined,
        nextReminder: repeat?.dueAt,
        notice,
        timeZone: this.deps.timeZone,
      }),
    );
  }

  async update(id: string, details: boolean): Promise<void> {
    const running = this.updates.get(id);
    if (running && !details) return;
    const work = (async () => {
      await running;
      const campaign = await this.deps.store.campaign(id);
      if (!campaign?.card) return;
      const card = await this.card(id, details);
      if (!card) return;
      await this.deps.budget.acquire(`card:${campaign.card.ref.conversation?.id ?? id}`, 'bulk');
      await this.deps.messenger.update(campaign.card, card);
    })()
      .catch((err: unknown) =>
        this.deps.logger.warn({ err, campaign: id }, 'could not update the campaign card'),
      )
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
