import {
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type TeamInfo,
  type TeamsChannelAccount,
} from 'botbuilder';
import { isEphemeral, toAttachment, type CardJson } from '../cards/render';
import type { Logger } from '../services/logger';
import type { ActionContext, ActionRouter, Caller } from './actions';
import type { ItTeam } from './handlers/it-team';
import { callerOf, cardResponse, isPersonal } from './invoke';
import { messageCard, SOMETHING_WENT_WRONG } from './replies';
import type { TextRouter } from './text-routing';

export interface BotDeps {
  actions: ActionRouter;
  text: TextRouter;
  itTeam: ItTeam;
  logger: Logger;
  /** The menu, with a note on top when given. */
  menu(ctx: ActionContext, notice?: string): Promise<CardJson>;
}

/**
 * The Teams turn handler: thin on purpose. Admission and conversation references are adapter
 * middleware; here a message goes to the text router, a card click to the action router, and
 * team events to the IT team handler.
 */
export class MfaBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();

    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });

    // Teams routes every membersAdded update here (the generic onMembersAdded never fires).
    this.onTeamsMembersAddedEvent(async (membersAdded, teamInfo, context, next) => {
      const botAdded = membersAdded.some(
        (m: TeamsChannelAccount) => m.id === context.activity.recipient.id,
      );
      if (botAdded && isPersonal(context)) await this.greet(context);
      else if (botAdded && teamInfo) await deps.itTeam.joined(context, teamInfo);
      else if (teamInfo) await deps.itTeam.membersChanged(context, teamInfo);
      await next();
    });

    this.onTeamsMembersRemovedEvent(async (_removed, teamInfo, context, next) => {
      if (teamInfo) await deps.itTeam.membersChanged(context, teamInfo);
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
      this.deps.logger.error(
        { err, activityId: context.activity.id, name: context.activity.name },
        'invoke failed',
      );
      return {
        status: 200,
        body: cardResponse(messageCard('Something went wrong', SOMETHING_WENT_WRONG)),
      };
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
      ? await this.deps.actions.execute(ctx, verb, invokeValue.action.data)
      : await this.deps.menu(
          ctx,
          'I could not tell who clicked that. Please try again from the chat with me.',
        );
    await this.keepMessageCurrent(context, invokeValue, card);
    return cardResponse(card);
  }

  /**
   * The invoke answer replaces the card only on the device that clicked. In a 1:1 chat the
   * message itself is updated too, so a phone or a reload shows the same step. Never a card
   * holding a one-time code, and never a shared card in a channel (each person has their view).
   */
  private async keepMessageCurrent(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
    card: CardJson,
  ): Promise<void> {
    const messageId = context.activity.replyToId;
    const automatic = (invokeValue as { trigger?: string }).trigger === 'automatic';
    if (!messageId || automatic || !isPersonal(context) || isEphemeral(card)) return;
    try {
      await context.updateActivity({
        type: ActivityTypes.Message,
        id: messageId,
        attachments: [toAttachment(card)],
      });
    } catch (err) {
      this.deps.logger.warn(
        { err: String((err as Error).message ?? err), activityId: context.activity.id },
        'could not update the clicked card for other devices',
      );
    }
  }

  private actionContext(
    turn: TurnContext,
    caller: Caller | undefined,
    source: ActionContext['source'],
  ): ActionContext {
    return { turn, caller: caller ?? { aadObjectId: '', name: '' }, source };
  }

  private async message(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (
      activity.conversation.conversationType === 'channel' ||
      activity.conversation.conversationType === 'groupChat'
    ) {
      // In shared conversations the bot speaks only when spoken to.
      const mentioned = TurnContext.getMentions(activity).some(
        (m) => m.mentioned.id === activity.recipient.id,
      );
      if (!mentioned) return;
      const team = (activity.channelData as { team?: TeamInfo } | undefined)?.team;
      if (team) await this.deps.itTeam.mentioned(context, team);
    }
    const caller = callerOf(context);
    if (!caller) {
      await context.sendActivity('I can only help people signed in to your organisation in Teams.');
      return;
    }
    const answer = await this.deps.text.route(this.actionContext(context, caller, 'text'));
    await context.sendActivity(
      typeof answer === 'string' ? answer : { attachments: [toAttachment(answer)] },
    );
  }

  private async greet(context: TurnContext): Promise<void> {
    const caller = callerOf(context);
    if (!caller) return;
    const card = await this.deps.menu(this.actionContext(context, caller, 'text'));
    await context.sendActivity({ attachments: [toAttachment(card)] });
  }
}
