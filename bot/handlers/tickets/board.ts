import type { ConversationReference } from 'botbuilder';
import { toAttachment, type CardJson } from '../../../cards/render';
import { MINUTE, type Clock } from '../../../services/clock';
import type { Directory } from '../../../services/directory/types';
import type { Logger } from '../../../services/logger';
import type { Scheduler } from '../../../services/scheduler';
import type { ConversationDirectory } from '../../../services/storage/conversations';
import { isActive, type ThreadRef, type Ticket } from '../../../services/tickets/model';
import type { TicketStore } from '../../../services/tickets/store';
import type { Proactive } from '../../proactive';
import type { RequesterNotices } from './notify';
import { ticketCard, ticketSummaryCard, type RequesterFacts } from './view';

const POST_JOB = 'ticket.post';
const SLA_JOB = 'ticket.sla';
/** What follows a change, one job each, so each is retried on its own and sent once. */
const CARD_JOB = 'ticket.card';
const ANNOUNCE_JOB = 'ticket.announce';
const CHAT_JOB = 'ticket.requester-chat';
const EMAIL_JOB = 'ticket.requester-email';
/** The roster of IT members in the IT team, whose Teams ids get the live view of ticket cards. */
export const IT_ROSTER = 'it';

/** What happens after a ticket changed, once the clicker has their answer. */
export interface FollowUp {
  ticketId: string;
  /** A line for the ticket's thread in the IT channel. */
  announce?: string;
  /** What to tell the requester, and whether by email too. */
  requester?: { text: string; email: boolean };
}

export interface BoardDeps {
  tickets: TicketStore;
  directory: Directory;
  conversations: ConversationDirectory;
  proactive: Proactive;
  scheduler: Scheduler;
  notices: RequesterNotices;
  clock: Clock;
  logger: Logger;
  settings: { ticketSlaMinutes: number; checkTtlMs: number };
}

/**
 * The IT channel side of tickets: each ticket is posted as a card that starts its own thread.
 * Everyone in the channel sees a read-only summary; IT members get their own live view with the
 * actions (Universal Actions refresh). Announcements and SLA reminders go into the thread. Work
 * that follows an action (the shared card, the thread, the requester) is stored as a job first,
 * so a crash does not lose it and the clicker does not wait for it.
 */
export class TicketBoard {
  constructor(private readonly deps: BoardDeps) {}

  register(): void {
    const { scheduler, tickets, clock } = this.deps;
    scheduler.register<{ ticketId: string }>(POST_JOB, async ({ ticketId }) => {
      const doc = await tickets.get(ticketId);
      if (!doc || doc.value.thread || !isActive(doc.value.status)) return;
      await this.post(doc.value);
    });
    scheduler.register<{ ticketId: string; round: number }>(
      SLA_JOB,
      async ({ ticketId, round }) => {
        const doc = await tickets.get(ticketId);
        if (!doc || doc.value.assignee || !isActive(doc.value.status)) return;
        const waited = Math.round(
          (clock.now().getTime() - Date.parse(doc.value.createdAt)) / MINUTE,
        );
        await this.reply(
          doc.value,
          `⏰ ${doc.value.id} has waited ${waited} minutes with nobody assigned. Can someone take it?`,
        );
        if (round < 3) await this.scheduleSla(doc.value, round + 1);
      },
    );
    scheduler.register<{ ticketId: string }>(CARD_JOB, async ({ ticketId }) => {
      const ticket = await this.current(ticketId);
      if (ticket) await this.refreshShared(ticket, { rethrow: true });
    });
    scheduler.register<{ ticketId: string; text: string }>(
      ANNOUNCE_JOB,
      async ({ ticketId, text }) => {
        const ticket = await this.current(ticketId);
        if (ticket) await this.reply(ticket, text, { rethrow: true });
      },
    );
    scheduler.register<{ ticketId: string; text: string }>(CHAT_JOB, async ({ ticketId, text }) => {
      const ticket = await this.current(ticketId);
      if (ticket) await this.deps.notices.chat(ticket, text);
    });
    scheduler.register<{ ticketId: string; text: string }>(
      EMAIL_JOB,
      async ({ ticketId, text }) => {
        const ticket = await this.current(ticketId);
        if (ticket) await this.deps.notices.email(ticket, text);
      },
    );
  }

  /** A new ticket: post it (or queue the post) and start its SLA clock. */
  async opened(ticket: Ticket): Promise<void> {
    await this.scheduleSla(ticket, 1);
    try {
      await this.post(ticket);
    } catch (err) {
      this.deps.logger.warn(
        { err: String((err as Error).message ?? err), ticket: ticket.id },
        'IT channel post failed; will retry',
      );
      await this.deps.scheduler.schedule(
        POST_JOB,
        new Date(this.deps.clock.now().getTime() + MINUTE),
        { ticketId: ticket.id },
        `ticket-post:${ticket.id}`,
      );
    }
  }

  /** Re-posts active tickets that never reached the channel (the bot just joined the IT team). */
  async repostUnsent(): Promise<number> {
    const unsent = (await this.deps.tickets.listOpen()).filter((t) => !t.thread);
    for (const t of unsent) await this.opened(t).catch(() => undefined);
    return unsent.length;
  }

  async post(ticket: Ticket): Promise<void> {
    const { conversations, proactive, tickets } = this.deps;
    const channel = await conversations.channel('it');
    if (!channel?.conversation?.id || !channel.serviceUrl) {
      throw new Error(
        'the bot has not been added to the IT team yet, so there is no IT channel to post to',
      );
    }
    const activityId = await proactive.toConversation(channel, {
      attachments: [toAttachment(await this.summary(ticket))],
      summary: `${ticket.id}: new IT request`,
    });
    if (!activityId) throw new Error('the channel post returned no activity id');
    const thread: ThreadRef = {
      channelConversationId: channel.conversation.id,
      activityId,
      serviceUrl: channel.serviceUrl,
      tenantId: channel.conversation.tenantId,
    };
    const saved = await tickets.attachThread(ticket.id, thread);
    // The ticket moved on while it was being posted: show its current state.
    if (saved && saved.version !== ticket.version) await this.refreshShared(saved);
  }

  /**
   * Stores what should follow a change, then starts it: the caller does not wait for it, and a
   * crash or a Teams outage does not lose it (each part is retried on its own).
   */
  async followUp(followUp: FollowUp): Promise<void> {
    const { scheduler, clock } = this.deps;
    const now = clock.now();
    const { ticketId } = followUp;
    // One card update per ticket is enough: it always shows the ticket as it is by then.
    await scheduler.schedule(CARD_JOB, now, { ticketId }, `ticket-card:${ticketId}`);
    if (followUp.announce)
      await scheduler.schedule(ANNOUNCE_JOB, now, { ticketId, text: followUp.announce });
    if (followUp.requester) {
      await scheduler.schedule(CHAT_JOB, now, { ticketId, text: followUp.requester.text });
      if (followUp.requester.email)
        await scheduler.schedule(EMAIL_JOB, now, { ticketId, text: followUp.requester.text });
    }
    scheduler.kick();
  }

  private async current(ticketId: string): Promise<Ticket | undefined> {
    return (await this.deps.tickets.get(ticketId))?.value;
  }

  /** Updates the shared card in the channel for everyone (IT members then refresh their view). */
  async refreshShared(ticket: Ticket, options: { rethrow?: boolean } = {}): Promise<void> {
    if (!ticket.thread) return;
    try {
      const card = await this.summary(ticket);
      await this.deps.proactive.update(this.threadRef(ticket.thread), ticket.thread.activityId, {
        attachments: [toAttachment(card)],
      });
    } catch (err) {
      this.deps.logger.warn(
        { err: String((err as Error).message ?? err), ticket: ticket.id },
        'could not update the shared ticket card',
      );
      if (options.rethrow) throw err;
    }
  }

  /** A notice to the IT channel itself (not a ticket thread); failures are only logged. */
  async channelNotice(text: string): Promise<void> {
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

  /** A card for the IT channel itself; says whether it was posted. */
  async channelCard(card: CardJson): Promise<boolean> {
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

  /** Posts a line in the ticket's thread. */
  async reply(ticket: Ticket, text: string, options: { rethrow?: boolean } = {}): Promise<void> {
    if (!ticket.thread) return;
    try {
      await this.deps.proactive.toConversation(this.threadRef(ticket.thread), {
        text,
        replyToId: ticket.thread.activityId,
      });
    } catch (err) {
      this.deps.logger.warn(
        { err: String((err as Error).message ?? err), ticket: ticket.id },
        'could not post in the ticket thread',
      );
      if (options.rethrow) throw err;
    }
  }

  /** IT's full card for a ticket, with the requester's facts from the directory. */
  async itCard(ticket: Ticket, notice = ''): Promise<CardJson> {
    const { clock, settings } = this.deps;
    return ticketCard(ticket, {
      now: clock.now(),
      facts: await this.facts(ticket),
      notice,
      checkTtlMs: settings.checkTtlMs,
      refreshFor: ticket.thread ? await this.itUserIds() : undefined,
    });
  }

  /** The read-only card everyone in the channel sees. */
  async summary(ticket: Ticket, notice = ''): Promise<CardJson> {
    return ticketSummaryCard(ticket, {
      now: this.deps.clock.now(),
      notice,
      refreshFor: await this.itUserIds(),
    });
  }

  /** Whether a turn comes from the channel where this ticket's card lives. */
  isTicketChannel(ticket: Ticket, conversationId: string | undefined): boolean {
    return Boolean(
      ticket.thread &&
      conversationId &&
      conversationId.split(';')[0] === ticket.thread.channelConversationId,
    );
  }

  /** The requester's devices, methods and number on file, or nothing if the directory is down. */
  async facts(ticket: Ticket): Promise<RequesterFacts | undefined> {
    const { directory, logger } = this.deps;
    try {
      const [devices, methods, profile] = await Promise.all([
        directory.authenticatorDevices(ticket.requester.id),
        directory.authMethods(ticket.requester.id),
        directory.getUser(ticket.requester.id),
      ]);
      return {
        devices,
        methods,
        callbackNumber: profile.businessPhones[0] ?? profile.mobilePhone ?? null,
      };
    } catch (err) {
      logger.warn(
        { err: String((err as Error).message ?? err), ticket: ticket.id },
        'ticket card without directory facts',
      );
      return undefined;
    }
  }

  private async itUserIds(): Promise<string[]> {
    const roster = await this.deps.conversations.roster(IT_ROSTER).catch(() => []);
    return roster.map((m) => m.teamsUserId).slice(0, 60);
  }

  private threadRef(thread: ThreadRef): Partial<ConversationReference> {
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

  private async scheduleSla(ticket: Ticket, round: number): Promise<void> {
    const minutes = this.deps.settings.ticketSlaMinutes;
    const wait =
      ticket.privileged || ticket.adminRole ? Math.max(1, Math.round(minutes / 3)) : minutes;
    const base = round === 1 ? Date.parse(ticket.createdAt) : this.deps.clock.now().getTime();
    await this.deps.scheduler.schedule(
      SLA_JOB,
      new Date(base + wait * MINUTE),
      { ticketId: ticket.id, round },
      `ticket-sla:${ticket.id}`,
    );
  }
}
