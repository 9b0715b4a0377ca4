import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { VERBS } from '../../../cards/verbs';
import { recordClick, snoozeNudge } from '../../../services/campaigns/jobs';
import { CAMPAIGN_ID_PATTERN } from '../../../services/campaigns/model';
import type { Clock } from '../../../services/clock';
import type { CampaignService } from '../../../services/campaigns/service';
import type { Logger } from '../../../services/logger';
import { messageCard } from '../../replies';
import type { CampaignAction } from './access';

/** The buttons on the nudge staff receive. Only the recipient's own row is ever touched. */

const NudgeData = z.object({ campaignId: z.string().regex(CAMPAIGN_ID_PATTERN) }).loose();

const snooze: CampaignAction<typeof NudgeData> = {
  verb: VERBS.nudgeSnooze,
  schema: NudgeData,
  async run(ctx, data) {
    const { campaigns, scheduler, clock } = ctx.deps;
    const row = await snoozeNudge(
      campaigns.store,
      scheduler,
      clock,
      data.campaignId,
      ctx.caller.aadObjectId,
    );
    if (!row)
      return messageCard(
        'Nothing to put off',
        "That reminder wasn't sent to you, so there's nothing to reschedule.",
      );
    return messageCard(
      'Reminder set',
      'OK, I\'ll remind you in 3 days. If you have five minutes sooner, type "set up" and we\'ll do it together.',
    );
  },
};

const help: CampaignAction<typeof NudgeData> = {
  verb: VERBS.nudgeHelp,
  schema: NudgeData,
  async run(ctx, data) {
    const { campaigns, clock, requests } = ctx.deps;
    await recordClick(campaigns.store, clock, data.campaignId, ctx.caller.aadObjectId, 'help');
    const ticket = await requests.open(ctx.caller, 'help', {
      source: 'nudge',
      campaignId: data.campaignId,
      step: 'why',
    });
    return messageCard(
      `Request ${ticket.id} sent to IT`,
      "IT will contact you to help you set up Authenticator. To keep your account safe they will confirm it's you by calling the number the practice has on file or meeting in person. They will never ask for your password or a code in chat.",
    );
  },
};

export const nudgeStaffActions: CampaignAction[] = [snooze, help] as CampaignAction[];

const SetupClick = z
  .object({
    action: z
      .object({
        verb: z.literal(VERBS.setupStart),
        data: z.object({ campaignId: z.string().regex(CAMPAIGN_ID_PATTERN) }).loose(),
      })
      .loose(),
  })
  .loose();

/**
 * "Set up now" on a nudge is the walkthrough's own verb; this turn hook counts the click for the
 * campaign (for the person who clicked, if they were a recipient) and lets the walkthrough run.
 */
export function nudgeSetupClicks(services: {
  campaigns: CampaignService;
  clock: Clock;
  logger: Logger;
}): (context: TurnContext, next: () => Promise<void>) => Promise<void> {
  return async (context, next) => {
    const a = context.activity;
    if (a.type === 'invoke' && a.name === 'adaptiveCard/action' && a.from?.aadObjectId) {
      const parsed = SetupClick.safeParse(a.value);
      if (parsed.success) {
        await recordClick(
          services.campaigns.store,
          services.clock,
          parsed.data.action.data.campaignId,
          a.from.aadObjectId,
          'setup',
        ).catch((err: unknown) => services.logger.warn({ err }, 'could not count a nudge click'));
      }
    }
    await next();
  };
}
