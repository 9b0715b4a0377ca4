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
    await this.run(ref, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** Replaces a message the bot sent earlier (a shared card, say). */
  async update(ref: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.run(ref, async (context) => {
      await context.updateActivity({ ...activity, id: activityId });
    });
  }

  /**
   * Runs outside-a-turn work and hands any failure back to the caller. Left inside the adapter,
   * a failure would go to the turn error handler, which would "apologise" to the very person the
   * message failed to reach, and the caller would believe it was delivered.
   */
  private async run(ref: Partial<ConversationReference>, work: (context: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, ref, async (context: TurnContext) => {
      try {
        await work(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
