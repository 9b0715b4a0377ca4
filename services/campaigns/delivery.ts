import type { Logger } from '../logger';
import { isDirectoryError, type Directory } from '../directory/types';
import type { SendBudget } from '../send-budget';
import type { WindowLimiter } from '../window-limiter';
import type { AppCatalog } from './app-catalog';
import { describeSendError, judge, type Verdict } from './failures';
import type { Campaign, CardRef, FinalState, Origin, OutboxRow } from './model';
import type { RegistrationChecks } from './registration';
import type { SendingGate } from './sender-lease';
import type { CampaignViews } from './views';

/** The Teams side of sending, provided by the bot (proactive messages through the adapter). */
export interface NudgeMessenger<Card> {
  /**
   * Sends to the chat saved when the person last talked to the bot; returns the new activity id.
   * `beforeSend` runs just before the request goes out (the send budget's slot). Throws an error
   * named UnreachableError, before anything is sent, when no chat is saved.
   */
  sendToUser(
    userId: string,
    card: Card,
    beforeSend: () => Promise<void>,
  ): Promise<string | undefined>;
  /** Sends to the 1:1 chat Graph gave for the app installed for them, and saves that chat. */
  sendToChat(
    userId: string,
    chatId: string,
    origin: Origin,
    card: Card,
    beforeSend: () => Promise<void>,
  ): Promise<string | undefined>;
  /** Replaces a card the bot sent earlier. */
  update(card: CardRef, body: Card): Promise<void>;
}

export type DeliveryResult =
  | { final: FinalState; reason?: string; activityId?: string; checkedBy?: 'live' | 'report' }
  | { retry: { afterMs?: number; throttled: boolean; reason: string; needsInstall?: boolean } };

export interface DeliveryDeps<Card> {
  checks: RegistrationChecks;
  directory: Pick<Directory, 'installAppForUser' | 'getUser'>;
  /** Installs started per window, under Teams' limit on installedApps. */
  installs: WindowLimiter;
  messenger: NudgeMessenger<Card>;
  views: Pick<CampaignViews<Card>, 'nudge'>;
  budget: SendBudget;
  catalog: AppCatalog;
  logger: Logger;
  /** Several instances: whether this one still holds the sender lease. */
  gate?: SendingGate;
}

/** The sender lease passed to another instance while this nudge waited for its slot. */
class HandedOver extends Error {
  constructor() {
    super('the campaign sender lease passed to another instance');
    this.name = 'HandedOver';
  }
}

const HANDED_OVER: DeliveryResult = {
  retry: { afterMs: 0, throttled: false, reason: 'handed over to another instance' },
};

function conversationKey(userId: string): string {
  return `user:${userId}`;
}

/**
 * One attempt at one nudge: is the person on Authenticator right now (live if the campaigns'
 * share of Graph's limit allows, else the registration report), then send through the saved
 * chat, or install the app for the person and send through the chat Graph gives.
 */
export class Delivery<Card> {
  constructor(private readonly deps: DeliveryDeps<Card>) {}

  async deliver(row: OutboxRow, campaign: Campaign): Promise<DeliveryResult> {
    const userId = row.recipient.id;
    let checkedBy: 'live' | 'report';
    try {
      const standing = await this.deps.checks.beforeNudge(userId);
      checkedBy = standing.by;
      if (standing.registered) {
        return {
          final: 'skipped',
          reason:
            checkedBy === 'live' ? 'registered (checked live)' : 'registered (registration report)',
          checkedBy,
        };
      }
    } catch (err) {
      return this.directoryFailure(err, 'check the registration');
    }
    const card = this.deps.views.nudge(campaign, row.recipient, row.round);
    const result = row.needsInstall
      ? await this.viaInstall(userId, campaign, card)
      : await this.viaSavedChat(userId, campaign, card);
    return 'final' in result ? { ...result, checkedBy } : result;
  }

  /** Through the chat saved when they last talked to the bot; without one, install the app first. */
  private async viaSavedChat(
    userId: string,
    campaign: Campaign,
    card: Card,
  ): Promise<DeliveryResult> {
    const key = conversationKey(userId);
    try {
      const activityId = await this.deps.messenger.sendToUser(userId, card, () => this.slot(key));
      this.deps.budget.succeeded();
      return { final: 'sent', activityId };
    } catch (err) {
      if (err instanceof HandedOver) return HANDED_OVER;
      if ((err as Error)?.name === 'UnreachableError')
        return this.viaInstall(userId, campaign, card);
      const verdict = this.sendFailure(key, err);
      if (verdict.kind === 'not-installed') {
        return {
          retry: {
            afterMs: 0,
            throttled: false,
            reason: `saved chat failed (${verdict.reason})`,
            needsInstall: true,
          },
        };
      }
      return this.fromVerdict(verdict);
    }
  }

  /**
   * Installs the app for them and sends through the chat Graph gives. An installation Teams has
   * not settled yet (not listed, its chat refused) is tried again with backoff.
   */
  private async viaInstall(
    userId: string,
    campaign: Campaign,
    card: Card,
  ): Promise<DeliveryResult> {
    const app = await this.deps.catalog.resolve();
    if (!app.ok) {
      if (app.lasting)
        return {
          final: 'failed',
          reason: `no chat with the bot, and it can't be installed for them: ${app.problem}`,
        };
      return {
        retry: {
          throttled: false,
          reason: `could not install the app: ${app.problem}`,
          needsInstall: true,
        },
      };
    }
    let chatId: string;
    await this.deps.installs.take();
    try {
      const installation = await this.deps.directory.installAppForUser(userId, app.catalogId);
      if (!installation.ready)
        return {
          retry: {
            throttled: false,
            reason: `app installed, waiting for Teams (${installation.why})`,
            needsInstall: true,
          },
        };
      chatId = installation.chatId;
    } catch (err) {
      if (isDirectoryError(err, 'not-found')) return this.installRefused(userId);
      return this.directoryFailure(err, 'install the app');
    }
    const key = conversationKey(userId);
    try {
      const activityId = await this.deps.messenger.sendToChat(
        userId,
        chatId,
        campaign.origin,
        card,
        () => this.slot(key),
      );
      this.deps.budget.succeeded();
      return { final: 'sent', activityId };
    } catch (err) {
      if (err instanceof HandedOver) return HANDED_OVER;
      const verdict = this.sendFailure(key, err);
      if (verdict.kind === 'not-installed') {
        return verdict.status === 404
          ? { final: 'not-found', reason: 'no Teams chat for this person' }
          : { final: 'failed', reason: verdict.reason };
      }
      return this.fromVerdict(verdict);
    }
  }

  /**
   * Waits for this nudge's slot in the bulk lane. The slot may come after the sender lease
   * passed to another instance (this one was too slow to renew it): then the nudge goes back to
   * the queue for the new sender, so two instances never send at once.
   */
  private async slot(key: string): Promise<void> {
    await this.deps.budget.acquire(key, 'bulk');
    if (this.deps.gate && !this.deps.gate.holds()) throw new HandedOver();
  }

  /** Graph answered 404 to the install: the person is gone, or the app is not in the catalog. */
  private async installRefused(userId: string): Promise<DeliveryResult> {
    try {
      await this.deps.directory.getUser(userId);
    } catch (err) {
      return this.directoryFailure(err, 'install the app');
    }
    this.deps.catalog.reset();
    this.deps.logger.error(
      'the Teams app catalog refused to install the bot: check TEAMS_APP_ID and TEAMS_APP_CATALOG_ID',
    );
    return {
      final: 'failed',
      reason:
        "could not install the bot: the app is not in the practice's Teams app catalog (check TEAMS_APP_ID)",
    };
  }

  private sendFailure(key: string, err: unknown): Verdict {
    const failure = describeSendError(err);
    const verdict = judge(failure);
    if (verdict.kind === 'retry' && verdict.throttled)
      this.deps.budget.throttled(key, verdict.retryAfterMs ?? 1000);
    else this.deps.budget.failed();
    if (verdict.kind === 'failed')
      this.deps.logger.warn({ status: failure.status, code: failure.code }, 'nudge send failed');
    return verdict;
  }

  private fromVerdict(v: Verdict): DeliveryResult {
    switch (v.kind) {
      case 'retry':
        return { retry: { afterMs: v.retryAfterMs, throttled: v.throttled, reason: v.reason } };
      case 'blocked':
        return { final: 'blocked', reason: v.reason };
      case 'not-found':
        return { final: 'not-found', reason: v.reason };
      default:
        return { final: 'failed', reason: v.reason };
    }
  }

  private directoryFailure(err: unknown, what: string): DeliveryResult {
    if (!isDirectoryError(err)) throw err;
    switch (err.kind) {
      case 'not-found':
        return { final: 'not-found', reason: 'not in Microsoft 365 any more' };
      case 'throttled':
      case 'unavailable': {
        const seconds = err.details.retryAfterSeconds;
        return {
          retry: {
            afterMs: seconds === undefined ? undefined : seconds * 1000,
            throttled: false,
            reason: `could not ${what}: ${err.kind}`,
          },
        };
      }
      default:
        return { final: 'failed', reason: `could not ${what}: ${err.kind}` };
    }
  }
}
