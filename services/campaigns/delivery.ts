import type { CardJson } from '../../cards/render';
import type { Logger } from '../logger';
import { isDirectoryError, type Directory } from '../directory/types';
import { NudgeCards } from './cards';
import { describeSendError, judge, type Verdict } from './failures';
import type { Campaign, CardRef, FinalState, Origin, OutboxRow } from './model';
import type { Pacer } from './pacer';

/** The Teams side of sending, provided by the bot (proactive messages through the adapter). */
export interface NudgeMessenger {
  /**
   * Sends to the chat saved when the person last talked to the bot; returns the new activity id.
   * `beforeSend` runs just before the request goes out (the pacer's slot). Throws an error named
   * UnreachableError, before anything is sent, when no chat is saved.
   */
  sendToUser(userId: string, card: CardJson, beforeSend: () => Promise<void>): Promise<string | undefined>;
  /** Creates the 1:1 chat (the app must be installed for them), saves it, and sends. */
  createAndSend(userId: string, origin: Origin, card: CardJson, beforeSend: () => Promise<void>): Promise<string | undefined>;
  /** Replaces a card the bot sent earlier. */
  update(card: CardRef, body: CardJson): Promise<void>;
}

export type DeliveryResult =
  | { final: FinalState; reason?: string; activityId?: string }
  | { retry: { afterMs?: number; throttled: boolean; reason: string; needsInstall?: boolean } };

export interface DeliveryDeps {
  directory: Directory;
  messenger: NudgeMessenger;
  pacer: Pacer;
  teamsAppCatalogId?: string;
  logger: Logger;
}

export function conversationKey(userId: string): string {
  return `user:${userId}`;
}

/**
 * One attempt at one nudge: re-check the registration, then send through the saved chat, or
 * install the app for the person and create the chat first.
 */
export class Delivery {
  private readonly cards = new NudgeCards();

  constructor(private readonly deps: DeliveryDeps) {}

  async deliver(row: OutboxRow, campaign: Campaign): Promise<DeliveryResult> {
    const userId = row.recipient.id;
    const registered = await this.registered(userId);
    if (registered !== false) return registered === true ? { final: 'skipped', reason: 'registered' } : registered;
    const card = this.cards.render(campaign, row.recipient, row.round);
    return row.needsInstall ? this.viaInstall(userId, campaign, card) : this.viaSavedChat(userId, campaign, card);
  }

  /** true when Authenticator is there now, false when not, or the result to record when unsure. */
  private async registered(userId: string): Promise<boolean | DeliveryResult> {
    try {
      return (await this.deps.directory.authenticatorDevices(userId)).length > 0;
    } catch (err) {
      return this.directoryFailure(err, 'check the registration');
    }
  }

  /** Through the chat saved when they last talked to the bot; without one, install the app first. */
  private async viaSavedChat(userId: string, campaign: Campaign, card: CardJson): Promise<DeliveryResult> {
    const key = conversationKey(userId);
    try {
      const activityId = await this.deps.messenger.sendToUser(userId, card, () => this.deps.pacer.acquire(key));
      this.deps.pacer.succeeded();
      return { final: 'sent', activityId };
    } catch (err) {
      if ((err as Error)?.name === 'UnreachableError') return this.viaInstall(userId, campaign, card);
      const verdict = this.sendFailure(key, err);
      if (verdict.kind === 'not-installed') {
        return { retry: { afterMs: 0, throttled: false, reason: `saved chat failed (${verdict.reason})`, needsInstall: true } };
      }
      return this.fromVerdict(verdict);
    }
  }

  private async viaInstall(userId: string, campaign: Campaign, card: CardJson): Promise<DeliveryResult> {
    const catalogId = this.deps.teamsAppCatalogId;
    if (!catalogId) return { final: 'failed', reason: 'no chat with the bot, and TEAMS_APP_CATALOG_ID is not set to install it' };
    try {
      await this.deps.directory.installAppForUser(userId, catalogId);
    } catch (err) {
      return this.directoryFailure(err, 'install the app');
    }
    const key = conversationKey(userId);
    await this.deps.pacer.acquire(key);
    try {
      const activityId = await this.deps.messenger.createAndSend(userId, campaign.origin, card, () => this.deps.pacer.acquire(key));
      this.deps.pacer.succeeded();
      return { final: 'sent', activityId };
    } catch (err) {
      const verdict = this.sendFailure(key, err);
      if (verdict.kind === 'not-installed') {
        return verdict.status === 404 ? { final: 'not-found', reason: 'no Teams chat for this person' } : { final: 'failed', reason: verdict.reason };
      }
      return this.fromVerdict(verdict);
    }
  }

  private sendFailure(key: string, err: unknown): Verdict {
    const failure = describeSendError(err);
    const verdict = judge(failure);
    if (verdict.kind === 'retry' && verdict.throttled) this.deps.pacer.throttled(key, verdict.retryAfterMs ?? 1000);
    else this.deps.pacer.failed();
    if (verdict.kind === 'failed') this.deps.logger.warn({ status: failure.status, code: failure.code }, 'nudge send failed');
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
        return { retry: { afterMs: seconds === undefined ? undefined : seconds * 1000, throttled: false, reason: `could not ${what}: ${err.kind}` } };
      }
      default:
        return { final: 'failed', reason: `could not ${what}: ${err.kind}` };
    }
  }
}
