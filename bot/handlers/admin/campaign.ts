import { z } from 'zod';
import type { CardJson } from '../../../cards/render';
import { VERBS } from '../../../cards/verbs';
import { CAMPAIGN_ID_PATTERN } from '../../../services/campaigns/model';
import { measureOutcome } from '../../../services/campaigns/outcome';
import { adminOnly, personOf, type CampaignAction, type CampaignTurn } from './access';
import { messageCard } from '../../replies';

const CampaignData = z.object({ campaignId: z.string().regex(CAMPAIGN_ID_PATTERN) }).loose();

/** The campaign card; once a round is over, with the report (clicks, reasons, registrations so far). */
export async function campaignCardFor(
  ctx: CampaignTurn,
  id: string,
  notice = '',
): Promise<CardJson | undefined> {
  const { campaigns, directory, clock } = ctx.deps;
  const campaign = await campaigns.store.campaign(id);
  if (!campaign) return undefined;
  const settled = campaign.status !== 'running' && campaign.status !== 'preparing';
  if (settled && !campaign.outcome?.final) {
    const { outcome } = await measureOutcome(directory, campaigns.store.eachRow(id), clock, false);
    await campaigns.store.updateCampaign(id, (c) =>
      c.outcome?.final ? undefined : { ...c, outcome },
    );
  }
  return campaigns.card(id, settled, notice);
}

const view = adminOnly<typeof CampaignData>({
  verb: VERBS.adminCampaign,
  schema: CampaignData,
  async run(ctx, data) {
    return (
      (await campaignCardFor(ctx, data.campaignId)) ??
      messageCard('Not found', `There is no nudge ${data.campaignId}.`)
    );
  },
});

/** Stops a campaign: nothing more is sent; messages already delivered stay delivered. */
const cancel = adminOnly<typeof CampaignData>({
  verb: VERBS.adminCampaignCancel,
  schema: CampaignData,
  async run(ctx, data) {
    const cancelled = await ctx.deps.campaigns.cancel(data.campaignId, personOf(ctx));
    const notice = cancelled
      ? "Cancelled. Nothing more will be sent; messages already delivered stay in people's chats."
      : 'That nudge had already finished, so there was nothing to cancel.';
    return (
      (await ctx.deps.campaigns.card(data.campaignId, false, notice)) ??
      messageCard('Not found', `There is no nudge ${data.campaignId}.`)
    );
  },
});

export const campaignAdminActions: CampaignAction[] = [view, cancel] as CampaignAction[];
