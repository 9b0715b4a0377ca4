import {
  ActivityEventNames,
  ActivityTypes,
  type TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import { describeSendError } from '../services/campaigns/failures';
import { ExpectedCondition } from '../services/logger';
import type { BotAdapter } from './adapter';
import { ConnectorSend } from './connector-send';
import type { SendBudget } from '../services/send-budget';
import type { ConversationDirectory } from '../services/storage/conversations';

/** The bot could not reach someone it meant to message. */
export class UnreachableError extends ExpectedCondition {
  constructor(
    readonly userId: string,
    reason: string,
  ) {
    super(`cannot message ${userId}: ${reason}`);
    this.name = 'UnreachableError';
  }
}

export interface SendOptions {
  /**
   * The caller paces this send and tells the send budget how it went (campaign nudges and the
   * campaign card, in the bulk lane); otherwise the send takes a priority slot here. `slot`
   * waits for the caller's turn, as late as possible: right before the request goes out. With
   * `ownRetries` the request is made once, and the caller retries (within its pacing).
   */
  paced?: { slot?: () => Promise<void>; ownRetries: boolean };
}

/** A turn the bot started itself (a proactive message), not one a person or Teams sent. */
export function isProactiveTurn(activity: Partial<Activity> | undefined): boolean {
  return (
    activity?.type === ActivityTypes.Event &&
    (activity.name === ActivityEventNames.ContinueConversation ||
      activity.name === ActivityEventNames.CreateConversation)
  );
}

/**
 * Messages people outside a turn (reminders, ticket updates, notices) through the conversation
 * reference saved when they last talked to the bot. Every send takes a slot in the bot's one
 * send budget, in the priority lane: someone is waiting for these, and a campaign's nudges must
 * not hold them up.
 */
export class Proactive {
  private readonly once: ConnectorSend;

  constructor(
    private readonly adapter: BotAdapter,
    private readonly appId: string,
    private readonly conversations: ConversationDirectory,
    private readonly budget: SendBudget,
  ) {
    this.once = new ConnectorSend((serviceUrl) => adapter.credentialsFor(appId, serviceUrl));
  }

  /** Sends to a person's 1:1 chat; returns the new activity id. */
  async toUser(
    userId: string,
    activity: Partial<Activity>,
    options: SendOptions = {},
  ): Promise<string | undefined> {
    const ref = await this.conversations.user(userId);
    if (!ref) throw new UnreachableError(userId, 'no saved conversation');
    return this.toConversation(ref, activity, options);
  }

  async toConversation(
    ref: Partial<ConversationReference>,
    activity: Partial<Activity>,
    options: SendOptions = {},
  ): Promise<string | undefined> {
    const paced = options.paced;
    if (paced?.ownRetries) {
      // One request, in the caller's slot: see ConnectorSend.
      return this.once.send(ref, activity, paced.slot);
    }
    let id: string | undefined;
    await this.run(ref, options, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** Replaces a message the bot sent earlier (a shared card, say). */
  async update(
    ref: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
    options: SendOptions = {},
  ): Promise<void> {
    await this.run(ref, options, async (context) => {
      // Teams' update is a whole message; the local playground refuses one without its type.
      await context.updateActivity({ type: 'message', ...activity, id: activityId });
    });
  }

  /**
   * Runs outside-a-turn work and hands any failure back to the caller. Left inside the adapter,
   * a failure would go to the turn error handler, which would "apologise" to the very person the
   * message failed to reach, and the caller would believe it was delivered.
   */
  private async run(
    ref: Partial<ConversationReference>,
    options: SendOptions,
    work: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const key = `conversation:${ref.conversation?.id ?? ''}`;
    const paced = options.paced;
    if (!paced) await this.budget.acquire(key, 'priority');
    let failure: { error: unknown } | undefined;
    try {
      await this.adapter.continueConversationAsync(
        this.appId,
        ref,
        async (context: TurnContext) => {
          try {
            await paced?.slot?.();
            await work(context);
          } catch (error) {
            failure = { error };
          }
        },
      );
    } catch (error) {
      // Anything else in the turn failed (the turn error handler hands proactive failures back).
      failure = { error };
    }
    if (!paced) this.settle(key, failure);
    if (failure) throw failure.error;
  }

  /** Closes the connections kept open for campaign sends. */
  close(): Promise<void> {
    return this.once.close();
  }

  /** Tells the budget how the send went: a 429 slows everyone down, as Teams asks. */
  private settle(key: string, failure: { error: unknown } | undefined): void {
    if (!failure) return this.budget.succeeded();
    const { status, retryAfterMs } = describeSendError(failure.error);
    if (status === 429) this.budget.throttled(key, retryAfterMs ?? 1000);
    else this.budget.failed();
  }
}
