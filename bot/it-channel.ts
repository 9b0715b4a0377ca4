import type { ConversationReference } from 'botbuilder';
import { toAttachment, type CardJson } from '../cards/render';
import type { Logger } from '../services/logger';
import type { ConversationDirectory } from '../services/storage/conversations';
import type { ThreadRef } from '../services/tickets/model';
import type { ActionContext } from './actions';
import type { Proactive } from './proactive';

/** The roster of IT members in the IT team, whose Teams ids get the live view of shared cards. */
export const IT_ROSTER = 'it';

export interface ItChannelDeps {
  conversations: ConversationDirectory;
  proactive: Proactive;
  logger: Logger;
}

/** Whether a failure is thrown on (for a stored job to retry it) or only logged. */
interface Delivery {
  rethrow?: boolean;
  /** What the post is about (a ticket or alert number), for the log line. */
  about?: string;
}

/**
 * The IT channel, as tickets and sign-in alerts use it: a card that starts its own thread, the
 * shared card updated for everyone, lines in the thread, notices to the channel itself, and the
 * IT members whose Teams ids get their own live view of shared cards.
 */
export class ItChannel {
  constructor(private readonly deps: ItChannelDeps) {}

  /** Posts a card that starts a thread; throws when the bot is not in the IT team yet. */
  async startThread(card: CardJson, summary: string): Promise<ThreadRef> {
    const { conversations, proactive } = this.deps;
    const channel = await conversations.channel('it');
    if (!channel?.conversation?.id || !channel.serviceUrl) {
      throw new Error(
        'the bot has not been added to the IT team yet, so there is no IT channel to post to',
      );
    }
    const activityId = await proactive.toConversation(channel, {
      attachments: [toAttachment(card)],
      summary,
    });
    if (!activityId) throw new Error('the channel post returned no activity id');
    return {
      channelConversationId: channel.conversation.id,
      activityId,
      serviceUrl: channel.serviceUrl,
      tenantId: channel.conversation.tenantId,
    };
  }

  /** Replaces the shared card for everyone (IT members then refresh their own view). */
  async update(thread: ThreadRef, card: CardJson, options: Delivery = {}): Promise<void> {
    try {
      await this.deps.proactive.update(threadRef(thread), thread.activityId, {
        attachments: [toAttachment(card)],
      });
    } catch (err) {
      this.failed(err, 'could not update a shared card in the IT channel', options);
    }
  }

  /** Posts a line in a thread. */
  async reply(thread: ThreadRef, text: string, options: Delivery = {}): Promise<void> {
    try {
      await this.deps.proactive.toConversation(threadRef(thread), {
        text,
        replyToId: thread.activityId,
      });
    } catch (err) {
      this.failed(err, 'could not post in a thread of the IT channel', options);
    }
  }

  /** A notice to the channel itself (not a thread); failures are only logged. */
  async notice(text: string): Promise<void> {
    const { conversations, proactive, logger } = this.deps;
    const channel = await conversations.channel('it').catch(() => undefined);
    if (!channel?.conversation?.id) {
      logger.warn('no IT channel for a notice');
      return;
    }
    await proactive.toConversation(channel, { text }).catch((err: unknown) => {
      logger.warn(
        { err: String((err as Error).message ?? err) },
        'could not post a notice to the IT channel',
      );
    });
  }

  /** A card for the channel itself (not a thread); says whether it was posted. */
  async card(card: CardJson): Promise<boolean> {
    const { conversations, proactive, logger } = this.deps;
    const channel = await conversations.channel('it').catch(() => undefined);
    if (!channel?.conversation?.id) return false;
    try {
      await proactive.toConversation(channel, { attachments: [toAttachment(card)] });
      return true;
    } catch (err) {
      logger.warn(
        { err: String((err as Error).message ?? err) },
        'could not post a card to the IT channel',
      );
      return false;
    }
  }

  /** Teams ids of the IT members known to the bot: they get the live view of shared cards. */
  async liveViewers(): Promise<string[]> {
    const roster = await this.deps.conversations.roster(IT_ROSTER).catch(() => []);
    return roster.map((m) => m.teamsUserId).slice(0, 60);
  }

  /** Whether a thread lives in the IT channel as the bot knows it now (same address too). */
  async holds(thread: ThreadRef): Promise<boolean> {
    const channel = await this.deps.conversations.channel('it').catch(() => undefined);
    return (
      thread.channelConversationId === channel?.conversation?.id &&
      thread.serviceUrl === channel.serviceUrl
    );
  }

  /** Whether a turn comes from the channel where this thread lives. */
  isThreadChannel(thread: ThreadRef | undefined, conversationId: string | undefined): boolean {
    return Boolean(
      thread && conversationId && conversationId.split(';')[0] === thread.channelConversationId,
    );
  }

  /** An IT member who acts from Teams joins the people with the live card view. */
  async learnMember(ctx: ActionContext): Promise<void> {
    const teamsUserId = ctx.turn.activity.from?.id;
    if (!teamsUserId) return;
    await this.deps.conversations
      .learnRosterMember(IT_ROSTER, { aadObjectId: ctx.caller.aadObjectId, teamsUserId })
      .catch((err: unknown) => {
        this.deps.logger.warn(
          { err: String((err as Error).message ?? err) },
          'could not remember an IT member for live card views',
        );
      });
  }

  private failed(err: unknown, message: string, options: Delivery): void {
    this.deps.logger.warn(
      { err: String((err as Error).message ?? err), about: options.about },
      message,
    );
    if (options.rethrow) throw err;
  }
}

function threadRef(thread: ThreadRef): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: thread.serviceUrl,
    conversation: {
      id: `${thread.channelConversationId};messageid=${thread.activityId}`,
      isGroup: true,
      conversationType: 'channel',
      tenantId: thread.tenantId,
      name: '',
    },
  };
}
