import type { CampaignSpec, Person, Recipient } from './model';
import type { CampaignCardData } from './report';

/**
 * How the bot shows campaigns, passed in so the campaign service knows nothing of cards: it hands
 * a `Card` from here to the messenger and back to the bot, without looking inside.
 */
export interface CampaignViews<Card> {
  /** The nudge one person receives in a round. */
  nudge(
    campaign: { id: string; spec: CampaignSpec; createdBy: Person },
    recipient: Pick<Recipient, 'name'>,
    round: number,
  ): Card;
  /** The admin's progress card, which ends as the campaign's report. */
  progress(data: CampaignCardData): Card;
}
