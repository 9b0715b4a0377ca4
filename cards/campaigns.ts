import {
  formatDeadline,
  type CampaignSpec,
  type Person,
  type Recipient,
} from '../services/campaigns/model';
import type { CampaignCardData } from '../services/campaigns/report';
import type { CampaignViews } from '../services/campaigns/views';
import { expandCard, type CardJson } from './render';

/** How campaigns look in Teams: the nudge staff receive and the admin's progress card. */

/** The nudge staff receive, in plain words for each kind of message. */
export function nudgeCard(
  campaign: { id: string; spec: CampaignSpec; createdBy: Person },
  recipient: Pick<Recipient, 'name'>,
  round: number,
): CardJson {
  const first = recipient.name.split(/\s+/)[0] || 'there';
  const { spec } = campaign;
  const by = spec.deadline ? formatDeadline(spec.deadline) : undefined;
  const fiveMinutes = "It takes about five minutes with your phone, and I'll walk you through it.";
  let title: string;
  let lines: string[];
  switch (spec.kind) {
    case 'deadline':
      title = by
        ? `Please set up Microsoft Authenticator by ${by}`
        : 'Please set up Microsoft Authenticator soon';
      lines = [
        `Hi ${first}, a reminder: Microsoft Authenticator needs to be set up${by ? ` by ${by}` : ' soon'}. After that, signing in to work apps will ask for it.`,
        fiveMinutes,
      ];
      break;
    case 'final':
      title = 'Final reminder: set up Microsoft Authenticator';
      lines = [
        `Hi ${first}, this is the last reminder to set up Microsoft Authenticator${by ? ` by ${by}` : ''}.`,
        `${fiveMinutes} If something is stopping you, choose "I need help" and IT will sort it out with you.`,
      ];
      break;
    default:
      title = "Let's set up Microsoft Authenticator";
      lines = [
        `Hi ${first}, the practice is moving sign-in to Microsoft Authenticator. It keeps your account and patient records safe, even if someone learns your password.`,
        fiveMinutes,
      ];
  }
  return expandCard('nudge', {
    title,
    lines,
    note: spec.note ?? '',
    noteFrom: campaign.createdBy.name || 'your practice admin',
    campaignId: campaign.id,
    round,
  });
}

const FIRST_NAME = '@@first-name@@';

/**
 * The same nudge for everyone in a round but the first name: expanded once per campaign and
 * round, then only the name is filled in for each person.
 */
class NudgeCards {
  private readonly expanded = new Map<string, string>();

  render(
    campaign: { id: string; spec: CampaignSpec; createdBy: Person },
    recipient: Pick<Recipient, 'name'>,
    round: number,
  ): CardJson {
    const key = `${campaign.id}:${round}`;
    let json = this.expanded.get(key);
    if (json === undefined) {
      json = JSON.stringify(nudgeCard(campaign, { name: FIRST_NAME }, round));
      if (this.expanded.size >= 16) this.expanded.clear();
      this.expanded.set(key, json);
    }
    const first = JSON.stringify(recipient.name.split(/\s+/)[0] || 'there').slice(1, -1);
    return JSON.parse(json.split(FIRST_NAME).join(first)) as CardJson;
  }
}

/** The admin's progress card, which ends as the campaign's report. */
function campaignCard(data: CampaignCardData): CardJson {
  return expandCard('admin-campaign', data);
}

/** The views the campaign service is built with. */
export function campaignViews(): CampaignViews<CardJson> {
  const nudges = new NudgeCards();
  return {
    nudge: (campaign, recipient, round) => nudges.render(campaign, recipient, round),
    progress: (data) => campaignCard(data),
  };
}
