import {
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TeamsChannelAccount,
  type TeamInfo,
  type InvokeResponse,
} from 'botbuilder';
import { isEphemeral, toAttachment, type CardJson } from '../cards/render';
import { ActionRouter, type ActionContext, type Caller } from './actions';
import { matchCommand, type Command } from './commands';
import { helpCard } from './handlers/help';
import { answerQuestion } from './handlers/troubleshoot';
import { messageCard, SOMETHING_WENT_WRONG } from './replies';
import { VERBS } from '../cards/verbs';
import type { Intent } from '../services/kb/schema';
import type { BotServices } from './services';
import { screenText } from '../services/guard/guard';
import { readTyped } from '../services/guard/intake';

const INTAKE_PROBLEMS = {
  'too-long': 'That message is too long for me. Please tell me the problem in a sentence or two, like "no notification on my phone".',
  'not-text': "I can only read plain text. Please type what's happening in a sentence or two.",
} as const;

/** Flows that free text can start, by what the knowledge base says the text is about. */
const INTENT_VERBS: Partial<Record<Intent, string>> = {
  onboarding: VERBS.setupStart,
  'lost-device': VERBS.lostDevice,
  status: VERBS.myStatus,
  admin: VERBS.adminStatus,
};

/**
 * The Teams turn handler: thin on purpose. It works out who is speaking, keeps their
 * conversation reference, screens text, and hands the rest to the action router.
 */
export class MfaBot extends TeamsActivityHandler {
  constructor(
    private readonly services: BotServices,
    readonly actions: ActionRouter,
  ) {
    super();

    this.onTurn(async (context, next) => {
      if (!(await this.admitted(context))) return;
      await this.rememberConversation(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    // Teams routes every membersAdded update here (the generic onMembersAdded never fires).
    this.onTeamsMembersAddedEvent(async (membersAdded, teamInfo, context, next) => {
      const botAdded = membersAdded.some((m: TeamsChannelAccount) => m.id === context.activity.recipient.id);
      if (botAdded && isPersonal(context)) await this.greet(context);
      else if (botAdded && teamInfo) await this.services.itTeam.joined(context, teamInfo);
      else if (teamInfo) await this.services.itTeam.membersChanged(context, teamInfo);
      await next();
    });

    this.onTeamsMembersRemovedEvent(async (_removed, teamInfo, context, next) => {
      if (teamInfo) await this.services.itTeam.membersChanged(context, teamInfo);
      await next();
    });
  }

  /**
   * Invokes this bot does not handle get 400 (botbuilder's default is 501), and a failure inside
   * a card action gets an error card instead of a 5xx, after it is logged.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    try {
      const response = await super.onInvokeActivity(context);
      if (response.status === 501) {
        return { status: 400, body: { error: 'This bot does not handle that kind of request.' } };
      }
      return response;
    } catch (err) {
      this.services.logger.error({ err, activityId: context.activity.id, name: context.activity.name }, 'invoke failed');
      return { status: 200, body: cardResponse(messageCard('Something went wrong', SOMETHING_WENT_WRONG)) };
    }
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const caller = callerOf(context);
    const verb = typeof invokeValue?.action?.verb === 'string' ? invokeValue.action.verb : '';
    const ctx = this.actionContext(context, caller, 'invoke');
    const card = caller
      ? await this.actions.execute(ctx, verb, invokeValue.action.data)
      : await helpCard(ctx, this.actions.verbs(), 'I could not tell who clicked that. Please try again from the chat with me.');
    await this.keepMessageCurrent(context, invokeValue, card);
    return cardResponse(card);
  }

  /**
   * The invoke answer replaces the card only on the device that clicked. In a 1:1 chat the
   * message itself is updated too, so a phone or a reload shows the same step. Never a card
   * holding a one-time code, and never a shared card in a channel (each person has their view).
   */
  private async keepMessageCurrent(context: TurnContext, invokeValue: AdaptiveCardInvokeValue, card: CardJson): Promise<void> {
    const messageId = context.activity.replyToId;
    const automatic = (invokeValue as { trigger?: string }).trigger === 'automatic';
    if (!messageId || automatic || !isPersonal(context) || isEphemeral(card)) return;
    try {
      await context.updateActivity({ type: ActivityTypes.Message, id: messageId, attachments: [toAttachment(card)] });
    } catch (err) {
      this.services.logger.warn({ err: String((err as Error).message ?? err), activityId: context.activity.id }, 'could not update the clicked card for other devices');
    }
  }

  private actionContext(turn: TurnContext, caller: Caller | undefined, source: ActionContext['source']): ActionContext {
    return {
      turn,
      caller: caller ?? { aadObjectId: '', name: '' },
      services: this.services,
      source,
    };
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.conversation.conversationType === 'channel' || activity.conversation.conversationType === 'groupChat') {
      // In shared conversations the bot speaks only when spoken to.
      const mentioned = TurnContext.getMentions(activity).some((m) => m.mentioned.id === activity.recipient.id);
      if (!mentioned) return;
      const team = (activity.channelData as { team?: TeamInfo } | undefined)?.team;
      if (team) await this.services.itTeam.mentioned(context, team);
    }
    const caller = callerOf(context);
    const ctx = this.actionContext(context, caller, 'text');
    if (!caller) {
      await context.sendActivity('I can only help people signed in to your organisation in Teams.');
      return;
    }
    const intake = readTyped(TurnContext.removeRecipientMention(activity) ?? '');
    if (!intake.ok) {
      if (intake.problem === 'empty') await this.reply(context, await helpCard(ctx, this.actions.verbs()));
      else await context.sendActivity(INTAKE_PROBLEMS[intake.problem]);
      return;
    }
    const text = intake.text;
    const screened = screenText(text);
    if (screened.verdict === 'sensitive') {
      // Not stored, not forwarded, not logged: only the kind of thing it looked like.
      this.services.logger.info({ activityId: activity.id, kinds: screened.kinds }, 'sensitive text screened out');
      await context.sendActivity(`${screened.reason} I have not kept that message.`);
      return;
    }
    const command = matchCommand(text, this.actions.verbs());
    if (command) {
      await this.reply(context, await this.actions.execute(ctx, await this.verbFor(command, ctx), {}));
      return;
    }
    await this.reply(context, await this.understand(ctx, text));
  }

  /** A command for a role the caller lacks may mean something else for them ("status"). */
  private async verbFor(command: Command, ctx: ActionContext): Promise<string> {
    if (command.audience === 'staff' || !command.staffFallback) return command.verb;
    const roles = await this.services.roles.rolesOf(ctx.caller.aadObjectId).catch(() => undefined);
    return roles?.has(command.audience) ? command.verb : command.staffFallback;
  }

  /**
   * Free text: what it is about decides the flow; everything else gets an answer, a "did you
   * mean", or a way to IT (answerQuestion decides which).
   */
  private async understand(ctx: ActionContext, text: string): Promise<CardJson> {
    const { intent } = this.services.kb.understand(text);
    const verb = INTENT_VERBS[intent];
    if (verb && this.actions.has(verb)) return this.actions.execute(ctx, verb, {});
    if (intent === 'help') return helpCard(ctx, this.actions.verbs());
    return answerQuestion(ctx, text);
  }

  private async greet(context: TurnContext): Promise<void> {
    const caller = callerOf(context);
    if (!caller) return;
    await this.reply(context, await helpCard(this.actionContext(context, caller, 'text'), this.actions.verbs()));
  }

  /**
   * The tenant lock and inbound rate limits. Activities from another tenant are refused and
   * audited (production); people sending too fast get one friendly reply and are not processed.
   */
  private async admitted(context: TurnContext): Promise<boolean> {
    const { config, audit, logger, limits } = this.services;
    const a = context.activity;
    const tenant = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
    if (config.mode === 'production' && tenant !== config.tenantId) {
      logger.warn({ activityId: a.id, tenant }, 'activity from another tenant refused');
      await audit.append({
        actor: a.from?.aadObjectId ?? 'unknown',
        action: `inbound.${a.type}`,
        target: String(tenant ?? 'none').slice(0, 64),
        outcome: 'refused',
        reason: 'wrong-tenant',
        activityId: a.id,
      });
      if (a.type === ActivityTypes.Invoke) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403, body: { error: 'This bot serves one organisation only.' } } });
      }
      return false;
    }
    if (a.type !== ActivityTypes.Message && a.type !== ActivityTypes.Invoke) return true;
    const user = a.from?.aadObjectId ?? a.from?.id ?? 'unknown';
    if (limits.perTenant.take(String(tenant)) && limits.perUser.take(user)) return true;
    logger.warn({ activityId: a.id, user }, 'inbound rate limit reached');
    if (a.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: cardResponse(messageCard('One moment, please', "You're clicking faster than I can keep up. Please wait a few seconds and try again.")),
        },
      });
    } else if (limits.notices.take(user)) {
      await context.sendActivity("You're sending messages faster than I can keep up. Please wait a few seconds, then try again.");
    }
    return false;
  }

  private async rememberConversation(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const aad = activity.from?.aadObjectId;
    if (!aad || !isPersonal(context) || activity.type === ActivityTypes.InstallationUpdate) return;
    await this.services.conversations.saveUser(aad, TurnContext.getConversationReference(activity));
  }

  private async reply(context: TurnContext, card: CardJson): Promise<void> {
    await context.sendActivity({ attachments: [toAttachment(card)] });
  }
}

export function callerOf(context: TurnContext): Caller | undefined {
  const from = context.activity.from;
  if (!from?.aadObjectId) return undefined;
  return { aadObjectId: from.aadObjectId, name: from.name ?? '' };
}

function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === undefined || type === 'personal';
}

export function cardResponse(card: CardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}
