import { AsyncLocalStorage } from 'node:async_hooks';
import type { Activity, ConversationReference, MiddlewareHandler, TurnContext } from 'botbuilder';
import { toAttachment, type CardJson } from '../../../cards/render';
import type { NudgeMessenger } from '../../../services/campaigns/delivery';
import type { CardRef, Origin } from '../../../services/campaigns/model';
import type { Logger } from '../../../services/logger';
import type { ConversationDirectory } from '../../../services/storage/conversations';
import type { Proactive } from '../../proactive';

function nudgeActivity(card: CardJson): Partial<Activity> {
  return { attachments: [toAttachment(card)], summary: 'Please set up Microsoft Authenticator' };
}

/** One campaign send in progress: how to treat the SDK's retries, and what went wrong. */
interface SendScope {
  ownRetries: boolean;
  /** Waits for the pacer's slot, as late as possible: right before the request is written. */
  beforeSend?: () => Promise<void>;
  failure?: unknown;
}

/**
 * Sends campaign nudges through the bot via Proactive: to the chat saved when the person last
 * talked to the bot, or to the chat Graph gave when it installed the app for them. Each send
 * takes its slot in the send budget's bulk lane (the campaign's `beforeSend`), not Proactive's
 * priority lane. Two things the adapter does by itself are wrong for campaigns, so
 * `middleware()` changes them for campaign sends only:
 * - a failure inside a proactive turn goes to onTurnError (which apologises to the recipient and
 *   reports success to the caller): here it is caught and handed back to the sender instead;
 * - botbuilder's connector retries 429 and 5xx itself (up to three times, outside any pacing):
 *   nudges pace and retry on their own, so the SDK's retry step is taken out of the connector.
 *   If a botbuilder release changes that shape, the SDK keeps retrying and sends still work.
 */
export class TeamsNudgeMessenger implements NudgeMessenger<CardJson> {
  private readonly scope = new AsyncLocalStorage<SendScope>();
  private warned = false;

  constructor(
    private readonly proactive: Proactive,
    private readonly conversations: ConversationDirectory,
    private readonly logger: Logger,
  ) {}

  /** Adapter middleware for campaign sends (see above); other turns pass straight through. */
  middleware(): MiddlewareHandler {
    return async (context, next) => {
      const scope = this.scope.getStore();
      if (!scope) return next();
      if (scope.ownRetries) this.withoutSdkRetries(context);
      try {
        const ready = scope.beforeSend;
        scope.beforeSend = undefined;
        if (ready) await ready();
        await next();
      } catch (err) {
        scope.failure = err;
      }
    };
  }

  /** Runs a proactive call in a campaign scope and throws whatever failed inside its turn. */
  private async inScope<T>(
    ownRetries: boolean,
    work: () => Promise<T>,
    beforeSend?: () => Promise<void>,
  ): Promise<T> {
    const scope: SendScope = { ownRetries, beforeSend };
    const result = await this.scope.run(scope, work);
    if (scope.failure !== undefined) throw scope.failure;
    return result;
  }

  sendToUser(
    userId: string,
    card: CardJson,
    beforeSend: () => Promise<void>,
  ): Promise<string | undefined> {
    return this.inScope(
      true,
      () => this.proactive.toUser(userId, nudgeActivity(card), { pacedByCaller: true }),
      beforeSend,
    );
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
    return this.inScope(
      true,
      () => this.proactive.toConversation(ref, nudgeActivity(card), { pacedByCaller: true }),
      beforeSend,
    );
  }

  /** Card updates keep the SDK's retries (the next update supersedes a lost one anyway). */
  async update(card: CardRef, body: CardJson): Promise<void> {
    await this.inScope(false, () =>
      this.proactive.update(
        card.ref,
        card.activityId,
        { type: 'message', attachments: [toAttachment(body)] },
        { pacedByCaller: true },
      ),
    );
  }

  private withoutSdkRetries(context: TurnContext): void {
    const connector = context.turnState.get(context.adapter.ConnectorClientKey) as unknown;
    const pipeline = (
      connector as
        { client?: { pipeline?: { removePolicy?: (o: { phase: string }) => unknown } } } | undefined
    )?.client?.pipeline;
    if (pipeline && typeof pipeline.removePolicy === 'function') {
      pipeline.removePolicy({ phase: 'Retry' });
    } else if (!this.warned) {
      this.warned = true;
      this.logger.warn(
        'could not turn off the connector retries for campaign sends; botbuilder retries them itself',
      );
    }
  }
}
