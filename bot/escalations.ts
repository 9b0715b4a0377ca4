import type { ConversationReference } from 'botbuilder';
import { toAttachment, type CardJson } from '../cards/render';
import { MINUTE } from '../services/clock';
import { ConflictError } from '../services/storage/types';
import type { Ticket, ThreadRef } from '../services/tickets/model';
import { isActive } from '../services/tickets/store';
import { ticketCard, type RequesterFacts } from './handlers/tickets/view';
import type { BotServices } from './services';

export const POST_JOB = 'ticket.post';
export const SLA_JOB = 'ticket.sla';

const SYSTEM = { id: 'system', name: 'MFA Helper' };

/**
 * The IT channel side of tickets: each ticket is posted as a card that starts its own thread;
 * the card is updated in place as the ticket moves; announcements and SLA reminders go into the
 * thread. A post that fails is kept and retried by the scheduler.
 */
export class Escalations {
  constructor(private readonly s: BotServices) {}

  register(): void {
    this.s.scheduler.register<{ ticketId: string }>(POST_JOB, async ({ ticketId }) => {
      const doc = await this.s.tickets.get(ticketId);
      if (!doc || doc.value.thread || !isActive(doc.value.status)) return;
      await this.post(doc.value);
    });
    this.s.scheduler.register<{ ticketId: string; round: number }>(SLA_JOB, async ({ ticketId, round }) => {
      const doc = await this.s.tickets.get(ticketId);
      if (!doc || doc.value.assignee || !isActive(doc.value.status)) return;
      const waited = Math.round((this.s.clock.now().getTime() - Date.parse(doc.value.createdAt)) / MINUTE);
      await this.reply(doc.value, `⏰ ${doc.value.id} has waited ${waited} minutes with nobody assigned. Can someone take it?`);
      if (round < 3) await this.scheduleSla(doc.value, round + 1);
    });
  }

  /** A new ticket: post it (or queue the post) and start its SLA clock. */
  async opened(ticket: Ticket): Promise<void> {
    await this.scheduleSla(ticket, 1);
    try {
      await this.post(ticket);
    } catch (err) {
      this.s.logger.warn({ err, ticket: ticket.id }, 'IT channel post failed; will retry');
      await this.s.scheduler.schedule(POST_JOB, new Date(this.s.clock.now().getTime() + MINUTE), { ticketId: ticket.id }, `ticket-post:${ticket.id}`);
    }
  }

  /** Re-posts active tickets that never reached the channel (the bot just joined the IT team). */
  async repostUnsent(): Promise<number> {
    const unsent = (await this.s.tickets.listOpen()).filter((t) => !t.thread);
    for (const t of unsent) await this.opened(t).catch(() => undefined);
    return unsent.length;
  }

  async post(ticket: Ticket): Promise<void> {
    const channel = await this.s.conversations.channel('it');
    if (!channel?.conversation?.id || !channel.serviceUrl) {
      throw new Error('the bot has not been added to the IT team yet, so there is no IT channel to post to');
    }
    const card = ticketCard(ticket, { now: this.s.clock.now(), facts: await this.facts(ticket) });
    const activityId = await this.s.proactive.toConversation(channel, {
      attachments: [toAttachment(card)],
      summary: `${ticket.id}: new IT request from ${ticket.requester.name}`,
    });
    if (!activityId) throw new Error('the channel post returned no activity id');
    const thread: ThreadRef = {
      channelConversationId: channel.conversation.id,
      activityId,
      serviceUrl: channel.serviceUrl,
      tenantId: channel.conversation.tenantId,
    };
    // Save where the card lives; the ticket may have moved on meanwhile, so retry on conflict.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const doc = await this.s.tickets.get(ticket.id);
      if (!doc) return;
      try {
        await this.s.tickets.update({ ...doc.value, thread }, doc.etag, SYSTEM);
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /** Updates the shared card in the channel for everyone. */
  async refresh(ticket: Ticket, facts?: RequesterFacts): Promise<void> {
    if (!ticket.thread) return;
    const card = ticketCard(ticket, { now: this.s.clock.now(), facts: facts ?? (await this.facts(ticket)) });
    try {
      await this.s.proactive.update(this.threadRef(ticket.thread), ticket.thread.activityId, { attachments: [toAttachment(card)] });
    } catch (err) {
      this.s.logger.warn({ err, ticket: ticket.id }, 'could not update the shared ticket card');
    }
  }

  /** A notice to the IT channel itself (not a ticket thread); failures are only logged. */
  async channelNotice(text: string): Promise<void> {
    const channel = await this.s.conversations.channel('it').catch(() => undefined);
    if (!channel?.conversation?.id) {
      this.s.logger.warn({ notice: text }, 'no IT channel for a notice');
      return;
    }
    await this.s.proactive.toConversation(channel, { text }).catch((err: unknown) => {
      this.s.logger.warn({ err }, 'could not post a notice to the IT channel');
    });
  }

  /** Posts a line in the ticket's thread. */
  async reply(ticket: Ticket, text: string): Promise<void> {
    if (!ticket.thread) return;
    try {
      await this.s.proactive.toConversation(this.threadRef(ticket.thread), { text, replyToId: ticket.thread.activityId });
    } catch (err) {
      this.s.logger.warn({ err, ticket: ticket.id }, 'could not post in the ticket thread');
    }
  }

  /** The current card for a ticket, with the requester's facts from the directory. */
  async card(ticket: Ticket, notice = ''): Promise<CardJson> {
    return ticketCard(ticket, { now: this.s.clock.now(), facts: await this.facts(ticket), notice });
  }

  /** The requester's devices, methods and number on file, or nothing if the directory is down. */
  async facts(ticket: Ticket): Promise<RequesterFacts | undefined> {
    const { directory, logger } = this.s;
    try {
      const [devices, methods, profile] = await Promise.all([
        directory.authenticatorDevices(ticket.requester.id),
        directory.authMethods(ticket.requester.id),
        directory.getUser(ticket.requester.id),
      ]);
      return { devices, methods, callbackNumber: profile.businessPhones[0] ?? profile.mobilePhone ?? null };
    } catch (err) {
      logger.warn({ err, ticket: ticket.id }, 'ticket card without directory facts');
      return undefined;
    }
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
    const minutes = this.s.config.ticketSlaMinutes;
    const wait = ticket.privileged || ticket.adminRole ? Math.max(1, Math.round(minutes / 3)) : minutes;
    const base = round === 1 ? Date.parse(ticket.createdAt) : this.s.clock.now().getTime();
    await this.s.scheduler.schedule(SLA_JOB, new Date(base + wait * MINUTE), { ticketId: ticket.id, round }, `ticket-sla:${ticket.id}`);
  }
}
