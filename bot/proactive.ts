import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConversationDirectory } from '../services/storage/conversations';

/** The bot could not reach someone it meant to message. */
export class UnreachableError extends Error {
  constructor(readonly userId: string, reason: string) {
    super(`cannot message ${userId}: ${reason}`);
    this.name = 'UnreachableError';
  }
}

/**
 * Messages people outside a turn (reminders, ticket updates) through the conversation reference
 * saved when they last talked to the bot.
 */
export class Proactive {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly conversations: ConversationDirectory,
  ) {}

  /** Sends to a person's 1:1 chat; returns the new activity id. */
  async toUser(userId: string, activity: Partial<Activity>): Promise<string | undefined> {
    const ref = await this.conversations.user(userId);
    if (!ref) throw new UnreachableError(userId, 'no saved conversation');
    return this.toConversation(ref, activity);
  }

  async toConversation(ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, ref, async (context: TurnContext) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** Replaces a message the bot sent earlier (a shared card, say). */
  async update(ref: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, ref, async (context: TurnContext) => {
      await context.updateActivity({ ...activity, id: activityId });
    });
  }
}
