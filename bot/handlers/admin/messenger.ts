import type { Activity, ConversationReference } from 'botbuilder';
import { toAttachment, type CardJson } from '../../../cards/render';
import type { NudgeMessenger } from '../../../services/campaigns/delivery';
import type { CardRef, Origin } from '../../../services/campaigns/model';
import type { ConversationDirectory } from '../../../services/storage/conversations';
import type { Proactive } from '../../proactive';

function nudgeActivity(card: CardJson): Partial<Activity> {
  return { attachments: [toAttachment(card)], summary: 'Please set up Microsoft Authenticator' };
}

/**
 * Sends campaign nudges through the bot via Proactive: to the chat saved when the person last
 * talked to the bot, or to the chat Graph gave when it installed the app for them. Each send
 * takes its slot in the send budget's bulk lane (the campaign's `beforeSend`), not Proactive's
 * priority lane, and is made once: botbuilder's connector would otherwise retry 429 and 5xx
 * itself (up to three times, outside any pacing), while nudges pace and retry on their own.
 * A failure comes back to the sender, never to the person as an apology.
 */
export class TeamsNudgeMessenger implements NudgeMessenger<CardJson> {
  constructor(
    private readonly proactive: Proactive,
    private readonly conversations: ConversationDirectory,
  ) {}

  sendToUser(
    userId: string,
    card: CardJson,
    beforeSend: () => Promise<void>,
  ): Promise<string | undefined> {
    return this.proactive.toUser(userId, nudgeActivity(card), {
      paced: { slot: beforeSend, ownRetries: true },
    });
  }

  /** The chat is saved first: it is theirs from now on, whatever this send does. */
  async sendToChat(
    userId: string,
    chatId: string,
    origin: Origin,
    card: CardJson,
    beforeSend: () => Promise<void>,
  ): Promise<string | undefined> {
    const ref: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: origin.serviceUrl,
      bot: origin.bot,
      user: { id: userId, name: '', aadObjectId: userId },
      conversation: {
        id: chatId,
        conversationType: 'personal',
        isGroup: false,
        tenantId: origin.tenantId,
        name: '',
      },
    };
    await this.conversations.saveUser(userId, ref);
    return this.proactive.toConversation(ref, nudgeActivity(card), {
      paced: { slot: beforeSend, ownRetries: true },
    });
  }

  /** Card updates keep the SDK's retries (the next update supersedes a lost one anyway). */
  async update(card: CardRef, body: CardJson): Promise<void> {
    await this.proactive.update(
      card.ref,
      card.activityId,
      { type: 'message', attachments: [toAttachment(body)] },
      { paced: { ownRetries: false } },
    );
  }
}
