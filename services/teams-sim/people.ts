import type { Clock } from '../clock';
import { DAY, HOUR, MINUTE } from '../clock';
import type { Logger } from '../logger';
import { seededRandom } from '../prng';
import type { BotLink } from './bot-link';
import { buttons } from './card-reading';
import type { Inbox } from './inbox';
import type { Roster } from './roster';
import type { Plan, Received } from './store';

/** What the demo does to Microsoft 365 (the Graph stand-in) when a person acts. */
export interface DemoAccounts {
  hasAuthenticator(userId: string): boolean;
  /** Microsoft 365 lists Authenticator on this phone for them from now on. */
  addAuthenticator(userId: string, deviceName: string): void;
}

/** How a person tells a nudge from other messages: the verbs of its two main buttons. */
export interface NudgeButtons {
  setUp: string;
  later: string;
}

export interface PeopleDeps {
  roster: Roster;
  inbox: Inbox;
  link: BotLink;
  accounts: DemoAccounts;
  clock: Clock;
  nudge: NudgeButtons;
  logger: Logger;
  /** Plans kept across restarts; changed in place. */
  plans: Plan[];
  changed(): void;
}

/** A person's answer to one nudge, the same every time the demo runs (seeded by who and which). */
interface Response {
  kind: 'soon' | 'day' | 'week' | 'later' | 'never';
  /** Until they press a button on the nudge. */
  delayMs: number;
  /** From pressing "Set up now" until Authenticator is on their account. */
  setupMs: number;
}

/**
 * How the demo practice's people act on a nudge. About a third set up Authenticator within
 * minutes, a quarter within a day, some later that week, some ask to be reminded, and a fifth
 * never do. "Set up now" is pressed first (the bot counts it), then Authenticator shows up on
 * their account a few minutes later. Times are demo times, so `mfa-bot demo time` skips ahead.
 */
export class People {
  constructor(private readonly deps: PeopleDeps) {}

  /** A message reached a demo person: if it is a nudge, they decide what to do about it. */
  received(userId: string, message: Received): void {
    const card = message.card;
    if (!card) return;
    const onCard = buttons(card);
    const setUp = onCard.find((b) => b.verb === this.deps.nudge.setUp);
    const later = onCard.find((b) => b.verb === this.deps.nudge.later);
    if (!setUp || !later || this.deps.accounts.hasAuthenticator(userId)) return;
    const { plans, clock } = this.deps;
    // One plan per nudge: a message updated in place is not a new nudge.
    if (plans.some((p) => p.messageId === message.id)) return;
    const response = respond(userId, JSON.stringify(later.data));
    const at = new Date(clock.now().getTime() + response.delayMs);
    if (response.kind === 'never') return;
    const verb = response.kind === 'later' ? later.verb : setUp.verb;
    plans.push({ userId, at: at.toISOString(), act: 'press', messageId: message.id, verb });
    if (response.kind !== 'later') {
      const registered = new Date(at.getTime() + response.setupMs);
      plans.push({ userId, at: registered.toISOString(), act: 'register' });
    }
    this.deps.changed();
  }

  /** Does what is due by the demo clock. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const due = this.deps.plans.filter((p) => p.at <= now).sort((a, b) => a.at.localeCompare(b.at));
    if (!due.length) return;
    for (const plan of due) {
      const index = this.deps.plans.indexOf(plan);
      if (index >= 0) this.deps.plans.splice(index, 1);
      await this.act(plan).catch((err: unknown) =>
        this.deps.logger.warn(
          { err: (err as Error).message, act: plan.act },
          'a demo person could not do what they meant to',
        ),
      );
    }
    this.deps.changed();
  }

  private async act(plan: Plan): Promise<void> {
    const { roster, inbox, link, accounts, logger } = this.deps;
    const person = roster.get(plan.userId);
    if (!person) return;
    if (plan.act === 'register') {
      if (accounts.hasAuthenticator(person.id)) return;
      accounts.addAuthenticator(person.id, `${person.givenName}'s phone`);
      logger.info(`demo: ${person.name} set up Microsoft Authenticator`);
      return;
    }
    const message = plan.messageId ? inbox.find(person.id, plan.messageId) : undefined;
    const button = message?.card && buttons(message.card).find((b) => b.verb === plan.verb);
    if (!message || !button) return;
    const answer = await link.press(person, message.conversationId, message.id, button);
    if (answer)
      inbox.replace(person.id, message.id, { card: answer }, this.deps.clock.now().toISOString());
    logger.info(`demo: ${person.name} pressed "${button.title}" on a nudge`);
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function respond(userId: string, nudgeKey: string): Response {
  const random = seededRandom(hash(`${userId}|${nudgeKey}`));
  const roll = random();
  const between = (min: number, max: number) => Math.round(min + random() * (max - min));
  const setupMs = between(3 * MINUTE, 10 * MINUTE);
  if (roll < 0.3) return { kind: 'soon', delayMs: between(1 * MINUTE, 4 * MINUTE), setupMs };
  if (roll < 0.55) return { kind: 'day', delayMs: between(2 * HOUR, 20 * HOUR), setupMs };
  if (roll < 0.7) return { kind: 'week', delayMs: between(2 * DAY, 6 * DAY), setupMs };
  if (roll < 0.8) return { kind: 'later', delayMs: between(10 * MINUTE, 90 * MINUTE), setupMs };
  return { kind: 'never', delayMs: 0, setupMs };
}
