import type { z } from 'zod';
import type { CardJson } from '../../../cards/render';
import { authorize } from '../../../services/authz/policy';
import type { Role } from '../../../services/authz/roles';
import { ConflictError, type StoredDoc } from '../../../services/storage/types';
import type { Person, Ticket } from '../../../services/tickets/model';
import type { ActionContext } from '../../actions';
import { messageCard } from '../../replies';

/** An action in flight for longer than this was interrupted (a crash): it no longer blocks. */
export const PENDING_EXPIRES_MS = 2 * 60_000;

export interface TicketPayload {
  ticketId: string;
  v?: number;
}

export interface Loaded {
  ticket: Ticket;
  etag: string;
  actor: Person;
  roles: ReadonlySet<Role>;
}

export type Outcome =
  | { kind: 'card'; card: CardJson }
  | { kind: 'changed'; ticket: Ticket; etag: string; announce?: string; notice?: string; privateCard?: CardJson };

/**
 * Runs a ticket action with every rule checked on the server, whatever the card said: the
 * ticket exists, the clicker's role allows the verb on this ticket (never their own), the card is
 * not stale, and no other action is in flight. Refusals are audited and answered with the
 * current card.
 */
export async function withTicket(
  ctx: ActionContext,
  verb: string,
  data: TicketPayload,
  act: (loaded: Loaded) => Promise<Outcome>,
  options: { extraRoles?: readonly Role[] } = {},
): Promise<CardJson> {
  const { tickets, roles, audit, clock } = ctx.services;
  const actor: Person = { id: ctx.caller.aadObjectId, name: ctx.caller.name || 'Someone' };
  const refuse = async (reason: string) =>
    audit.append({ actor: actor.id, action: verb, target: data.ticketId, outcome: 'refused', reason, activityId: ctx.turn.activity.id });
  const doc: StoredDoc<Ticket> | undefined = await tickets.get(data.ticketId);
  if (!doc) {
    await refuse('unknown-ticket');
    return messageCard('Ticket not found', `I can't find ticket ${data.ticketId}. It may have been typed wrong.`);
  }
  const ticket = doc.value;
  const actorRoles = await roles.rolesOf(actor.id);
  const decision = authorize(verb, { id: actor.id, roles: actorRoles }, { requesterId: ticket.requester.id }, options.extraRoles);
  const current = (notice: string) => ctx.services.escalations.card(ticket, notice);
  if (!decision.allowed) {
    await audit.append({ actor: actor.id, action: verb, target: ticket.id, outcome: 'denied', reason: decision.reason, activityId: ctx.turn.activity.id });
    if (decision.reason === 'own-ticket') {
      return current("This is your own request. Another IT member has to handle it, so nobody can approve their own recovery.");
    }
    return messageCard('Not available to you', 'Only the IT team can act on tickets.');
  }
  if (data.v !== undefined && data.v !== ticket.version) {
    await refuse('stale-card');
    return current('This card was out of date, so nothing was changed. Here is the latest.');
  }
  if (ticket.pending && clock.now().getTime() - Date.parse(ticket.pending.at) < PENDING_EXPIRES_MS) {
    await refuse('in-flight');
    return current(`${ticket.pending.by.name} is doing something on this ticket right now. Nothing was changed.`);
  }
  const loaded: Loaded = { ticket: ticket.pending ? { ...ticket, pending: undefined } : ticket, etag: doc.etag, actor, roles: actorRoles };
  let outcome: Outcome;
  try {
    outcome = await act(loaded);
  } catch (err) {
    if (err instanceof ConflictError) {
      await refuse('concurrent-change');
      const latest = await tickets.get(data.ticketId);
      return ctx.services.escalations.card(latest?.value ?? ticket, 'Someone else changed this ticket at the same moment, so nothing was changed. Here is the latest.');
    }
    throw err;
  }
  if (outcome.kind === 'card') return outcome.card;
  await audit.append({ actor: actor.id, action: verb, target: ticket.id, outcome: 'success', activityId: ctx.turn.activity.id });
  // The shared card first, so the issuer's private view (if any) is not overwritten by it.
  await ctx.services.escalations.refresh(outcome.ticket);
  if (outcome.announce) await ctx.services.escalations.reply(outcome.ticket, outcome.announce);
  return outcome.privateCard ?? ctx.services.escalations.card(outcome.ticket, outcome.notice ?? '');
}

export type Schema<T> = z.ZodType<T>;
