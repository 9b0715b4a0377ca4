import { z } from 'zod';
import type { CardJson } from '../../../cards/render';
import type { Verb } from '../../../cards/verbs';
import type { AuditLog } from '../../../services/audit/log';
import { authorize } from '../../../services/authz/policy';
import type { Role, RoleResolver } from '../../../services/authz/roles';
import type { StandingGroups } from '../../../services/authz/standing';
import type { Clock } from '../../../services/clock';
import type { TimeZone } from '../../../services/time';
import type { Directory } from '../../../services/directory/types';
import type { Logger } from '../../../services/logger';
import { ConflictError } from '../../../services/storage/types';
import {
  isActive,
  TICKET_ID_PATTERN,
  type Person,
  type Ticket,
} from '../../../services/tickets/model';
import type { TicketStore } from '../../../services/tickets/store';
import { claimRanOut } from '../../../services/claims';
import type { TapLimiter } from '../../../services/tickets/tap-limiter';
import type { ActionContext, ActionDef } from '../../actions';
import { auditFor, type AuditFields } from '../../audit';
import { messageCard } from '../../replies';
import type { ItChannel } from '../../it-channel';
import type { FollowUp, TicketBoard } from './board';

export const TicketRef = z.object({ ticketId: z.string().regex(TICKET_ID_PATTERN) }).loose();
/** Every click that changes a ticket carries the version its card showed; without it, refused. */
export const Versioned = TicketRef.extend({ v: z.coerce.number().int().positive() });
export type VersionedData = z.infer<typeof Versioned>;

interface TicketSettings {
  /** How long an identity check counts. */
  checkTtlMs: number;
  tapLifetimeMinutes: number;
  tapMaxPerHour: number;
  /** For practices with one IT person: a practice admin may be the second verifier. */
  secondVerifierMayBeAdmin: boolean;
  groups: StandingGroups;
  /** The practice's time zone, for times on shared cards, in threads and to the requester. */
  timeZone: TimeZone;
}

/** What the ticket actions use, built once by the composition root. */
export interface TicketDeps {
  tickets: TicketStore;
  directory: Directory;
  roles: RoleResolver;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  board: TicketBoard;
  limiter: TapLimiter;
  channel: ItChannel;
  settings: TicketSettings;
}

/** One click on one ticket, after every common rule passed. */
export interface TicketTurn {
  ctx: ActionContext;
  ticket: Ticket;
  etag: string;
  actor: Person;
  now: Date;
  audit(entry: AuditFields): Promise<void>;
  /** Saves a change made from the loaded ticket; a concurrent change makes it throw ConflictError. */
  save(next: Ticket, text?: string): Promise<{ ticket: Ticket; etag: string }>;
}

export type Outcome =
  /** Nothing changed: audited as refused, answered with the current card and this notice. */
  | { kind: 'refused'; reason: string; notice: string }
  /** Nothing changed; this card is the answer. */
  | { kind: 'card'; card: CardJson }
  /** The ticket changed: audited, the rest follows in the background (see TicketBoard). */
  | {
      kind: 'changed';
      ticket: Ticket;
      notice?: string;
      privateCard?: CardJson;
      followUp?: Omit<FollowUp, 'ticketId'>;
    };

export const refused = (reason: string, notice: string): Outcome => ({
  kind: 'refused',
  reason,
  notice,
});

export interface TicketActionOptions {
  /** Roles allowed besides the policy's own, decided by settings (an admin as second verifier). */
  extraRoles?: (settings: TicketSettings) => readonly Role[];
  /** Runs on resolved or withdrawn tickets too (reopen). Default: refused once closed. */
  whenClosed?: 'allow';
  /** Asks the directory for the clicker's role now rather than within the cache's five minutes. */
  freshRole?: true;
}

/**
 * A ticket verb with every rule checked on the server, whatever the card said: the ticket
 * exists; the clicker's role allows the verb on this ticket (never their own); the card is not
 * stale; the ticket is still open; no other action is in flight. Refusals and successes are
 * audited in one place, and the answer is always the current card.
 */
export function ticketAction<S extends z.ZodType<VersionedData>>(
  deps: TicketDeps,
  verb: Verb,
  schema: S,
  act: (turn: TicketTurn, data: z.infer<S>) => Promise<Outcome>,
  options: TicketActionOptions = {},
): ActionDef<S> {
  return {
    verb,
    schema,
    authorizesItself: true,
    async run(ctx, data) {
      const loaded = await loadForActor(deps, ctx, verb, data.ticketId, {
        extraRoles: options.extraRoles?.(deps.settings) ?? [],
        fresh: options.freshRole === true,
      });
      if (loaded.kind === 'answer') return loaded.card;
      const { turn } = loaded;
      const { ticket } = turn;
      const refuse = async (reason: string, notice: string, current?: Ticket) => {
        await turn.audit({ action: verb, target: ticket.id, outcome: 'refused', reason });
        return deps.board.itCard(current ?? (await latest(deps, ticket)), notice);
      };
      if (data.v !== ticket.version)
        return refuse(
          'stale-card',
          'This card was out of date, so nothing was changed. Here is the latest.',
          ticket,
        );
      if (!isActive(ticket.status) && options.whenClosed !== 'allow') {
        return refuse(
          'closed',
          `This request was ${ticket.status === 'withdrawn' ? 'withdrawn by the requester' : 'resolved'}, so nothing was changed.`,
          ticket,
        );
      }
      if (ticket.pending && !claimRanOut(ticket.pending.at, turn.now)) {
        return refuse(
          'in-flight',
          `${ticket.pending.by.name} is doing something on this ticket right now. Nothing was changed.`,
          ticket,
        );
      }
      let outcome: Outcome;
      try {
        outcome = await act(
          { ...turn, ticket: ticket.pending ? { ...ticket, pending: undefined } : ticket },
          data,
        );
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        return refuse(
          'concurrent-change',
          'Someone else changed this ticket at the same moment, so nothing was changed. Here is the latest.',
        );
      }
      if (outcome.kind === 'card') return outcome.card;
      if (outcome.kind === 'refused') return refuse(outcome.reason, outcome.notice);
      await turn.audit({ action: verb, target: ticket.id, outcome: 'success' });
      await deps.board.followUp({ ticketId: ticket.id, ...outcome.followUp });
      return outcome.privateCard ?? deps.board.itCard(outcome.ticket, outcome.notice ?? '');
    },
  };
}

type Loaded =
  | { kind: 'answer'; card: CardJson }
  | { kind: 'loaded'; turn: TicketTurn; roles: ReadonlySet<Role> };

/**
 * Loads a ticket for the clicker and checks the policy. Someone outside IT in the IT channel
 * sees the read-only card again with a plain note: nothing on it changes for anyone.
 */
export async function loadForActor(
  deps: TicketDeps,
  ctx: ActionContext,
  verb: string,
  ticketId: string,
  options: { extraRoles?: readonly Role[]; fresh?: boolean; quietRefusal?: boolean } = {},
): Promise<Loaded> {
  const actor: Person = { id: ctx.caller.aadObjectId, name: ctx.caller.name || 'Someone' };
  const audit = auditFor(deps.audit, ctx.turn, actor.id);
  const doc = await deps.tickets.get(ticketId);
  if (!doc) {
    await audit({ action: verb, target: ticketId, outcome: 'refused', reason: 'unknown-ticket' });
    return {
      kind: 'answer',
      card: messageCard(
        'Ticket not found',
        `I can't find ticket ${ticketId}. It may have been typed wrong.`,
      ),
    };
  }
  const ticket = doc.value;
  const roles = await deps.roles.rolesOf(actor.id, { fresh: options.fresh });
  const decision = authorize(
    verb,
    { id: actor.id, roles },
    { requesterId: ticket.requester.id },
    options.extraRoles,
  );
  if (!decision.allowed) {
    if (!options.quietRefusal)
      await audit({ action: verb, target: ticket.id, outcome: 'denied', reason: decision.reason });
    if (decision.reason === 'own-ticket') {
      return {
        kind: 'answer',
        card: await deps.board.itCard(
          ticket,
          'This is your own request. Another IT member has to handle it, so nobody can approve their own recovery.',
        ),
      };
    }
    if (deps.board.isTicketChannel(ticket, ctx.turn.activity.conversation?.id)) {
      const notice = options.quietRefusal
        ? ''
        : 'Only the IT team can act on tickets. Nothing was changed.';
      return { kind: 'answer', card: await deps.board.summary(ticket, notice) };
    }
    return {
      kind: 'answer',
      card: messageCard('Not available to you', 'Only the IT team can act on tickets.'),
    };
  }
  if (roles.has('it')) await deps.channel.learnMember(ctx);
  const turn: TicketTurn = {
    ctx,
    ticket,
    etag: doc.etag,
    actor,
    now: deps.clock.now(),
    audit,
    save: (next, text) => deps.tickets.update(next, doc.etag, actor, text),
  };
  return { kind: 'loaded', turn, roles };
}

async function latest(deps: TicketDeps, ticket: Ticket): Promise<Ticket> {
  return (await deps.tickets.get(ticket.id))?.value ?? ticket;
}
