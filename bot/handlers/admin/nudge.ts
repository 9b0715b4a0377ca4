import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { toAttachment, type CardJson } from '../../../cards/render';
import { VERBS } from '../../../cards/verbs';
import { AUDIENCE_LABELS, DRAFT_ID_PATTERN, type Origin } from '../../../services/campaigns/model';
import { messageCard } from '../../replies';
import { campaignCardFor } from './campaign';
import { checkForm, type NudgeFormValues } from '../../../services/campaigns/form';
import { formValues, NudgeForm } from './form';
import { adminOnly, personOf, type CampaignAction, type CampaignTurn } from './access';
import { EMPTY_FORM, formFromDraft, nudgeFormCard, previewCard } from './view';

const OpenData = z.object({ draftId: z.string().regex(DRAFT_ID_PATTERN).optional() }).loose();
const ConfirmData = z
  .object({
    draftId: z.string().regex(DRAFT_ID_PATTERN),
    final: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  })
  .loose();

function today(ctx: CampaignTurn): string {
  return ctx.deps.clock.now().toISOString().slice(0, 10);
}

function form(ctx: CampaignTurn, values: NudgeFormValues, notice = ''): CardJson {
  return nudgeFormCard(values, Object.keys(ctx.deps.settings.roleGroups), today(ctx), notice);
}

/** "nudge": the form, blank or filled in from a preview the admin wants to change. */
const open = adminOnly<typeof OpenData>({
  verb: VERBS.adminNudge,
  schema: OpenData,
  async run(ctx, data) {
    if (!data.draftId) return form(ctx, EMPTY_FORM);
    const draft = await ctx.deps.campaigns.draft(data.draftId, personOf(ctx));
    return typeof draft === 'string' ? form(ctx, EMPTY_FORM) : form(ctx, formFromDraft(draft));
  },
});

/** Works out the audience and shows the nudge as people will see it. Nothing is stored for nobody. */
const preview = adminOnly<typeof NudgeForm>({
  verb: VERBS.adminNudgePreview,
  schema: NudgeForm,
  async run(ctx, data) {
    const values = formValues(data);
    const checked = checkForm(values, Object.keys(ctx.deps.settings.roleGroups), today(ctx));
    if ('problems' in checked) return form(ctx, checked.values, checked.problems.join(' '));
    const { campaigns } = ctx.deps;
    const { audience, draft } = await campaigns.preview(checked.spec, personOf(ctx));
    if (!draft) {
      const groups = checked.spec.groups.length ? ` in ${checked.spec.groups.join(', ')}` : '';
      const left = audience.leftOut
        ? `, after leaving out the ${audience.leftOut} on your list`
        : '';
      return form(
        ctx,
        values,
        `Nobody to nudge: no one matches "${AUDIENCE_LABELS[checked.spec.audience]}"${groups}${left}. Nothing was saved or sent.`,
      );
    }
    return previewCard(draft, campaigns.settings.confirmThreshold, false);
  },
});

function originOf(ctx: CampaignTurn): Origin {
  const a = ctx.turn.activity;
  const tenant = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    serviceUrl: a.serviceUrl,
    tenantId: tenant ?? a.conversation.tenantId ?? ctx.deps.settings.tenantId,
    bot: { id: a.recipient.id, name: a.recipient.name ?? '' },
  };
}

/** Confirm (and, for a large audience, confirm again): stores the campaign and starts sending. */
const confirm = adminOnly<typeof ConfirmData>({
  verb: VERBS.adminNudgeConfirm,
  schema: ConfirmData,
  async run(ctx, data) {
    const { campaigns, audit, logger } = ctx.deps;
    const final = data.final === true || data.final === 'true';
    const result = await campaigns.confirm(data.draftId, personOf(ctx), final, originOf(ctx));
    switch (result.kind) {
      case 'expired':
        return form(
          ctx,
          EMPTY_FORM,
          'That preview has expired, so nothing was sent. Please choose again and preview.',
        );
      case 'not-yours':
        await audit.append({
          actor: ctx.caller.aadObjectId,
          action: VERBS.adminNudgeConfirm,
          target: '-',
          outcome: 'denied',
          reason: 'not-draft-owner',
          activityId: ctx.turn.activity.id,
        });
        return messageCard(
          'Not your preview',
          'Another admin prepared that nudge, so only they can send it. You can prepare your own with "nudge".',
        );
      case 'confirm-again':
        return previewCard(result.draft, campaigns.settings.confirmThreshold, true);
      case 'already':
        return (
          (await campaignCardFor(
            ctx,
            result.campaign.id,
            'That nudge is already on its way. Here is how it is going.',
          )) ?? messageCard('Already sent', 'That nudge is already on its way.')
        );
    }
    const id = result.campaign.id;
    logger.info({ campaign: id, recipients: result.campaign.recipients }, 'campaign launched');
    const ref = TurnContext.getConversationReference(ctx.turn.activity);
    const replyToId = ctx.turn.activity.replyToId;
    const card = (await campaigns.card(id, false))!;
    if (replyToId) {
      await campaigns.attachCard(id, { ref, activityId: replyToId });
      return card;
    }
    // No id for the clicked card: post the progress card as a new message and keep that one current.
    const sent = await ctx.turn.sendActivity({ attachments: [toAttachment(card)] });
    if (sent?.id) await campaigns.attachCard(id, { ref, activityId: sent.id });
    return messageCard(
      'Sending now',
      `Nudge ${id} is on its way to ${result.campaign.recipients} people. The card below shows how it is going.`,
    );
  },
});

export const nudgeAdminActions: CampaignAction[] = [open, preview, confirm] as CampaignAction[];
