import type { Caller } from './actions';
import { liveStanding, type StandingGroups } from '../services/authz/standing';
import type { Directory } from '../services/directory/types';
import type { Logger } from '../services/logger';
import type { Person, Ticket, TicketKind } from '../services/tickets/model';
import type { TicketStore } from '../services/tickets/store';

export interface RequestDeps {
  tickets: TicketStore;
  directory: Directory;
  logger: Logger;
  groups: StandingGroups;
  /** Called after a new ticket is stored (the IT channel post). */
  announce: (ticket: Ticket) => Promise<void>;
}

export interface OpenOptions {
  /** Urgent whatever the directory says (a suspected attack): stricter rules, shorter SLA. */
  urgent?: boolean;
  /** Someone who opens it on the requester's behalf (IT, from a sign-in alert). */
  openedBy?: Person;
}

/**
 * Opens IT requests for staff. A second request of the same kind while one is open joins the
 * open one instead of creating a duplicate. The ticket is stored before anyone is told about it.
 */
export class ItRequests {
  constructor(private readonly deps: RequestDeps) {}

  async open(
    caller: Caller,
    kind: TicketKind,
    details: Ticket['details'],
    options: OpenOptions = {},
  ): Promise<Ticket & { joined?: boolean }> {
    const { tickets, directory, groups, logger } = this.deps;
    const requesterId = caller.aadObjectId;
    const existing = await tickets.openFor(requesterId, kind);
    if (existing) return { ...existing, joined: true };
    const [profile, standing] = await Promise.all([
      directory.getUser(requesterId).catch(() => undefined),
      liveStanding(directory, groups, requesterId).catch(() => undefined),
    ]);
    const name = profile?.displayName ?? caller.name;
    const ticket = await tickets.create({
      kind,
      requester: {
        id: requesterId,
        name,
        upn: profile?.userPrincipalName,
        email: profile?.mail ?? profile?.userPrincipalName,
        jobTitle: profile?.jobTitle ?? null,
        department: profile?.department ?? null,
      },
      details,
      // When the directory can't say, treat the account as privileged: the stricter rules apply.
      // A pass is never issued on these flags alone: they are read again, live, at that moment.
      privileged: options.urgent === true || !standing || standing.privileged,
      adminRole: standing?.adminRole ?? false,
      // Urgent by choice is not "unknown": a live check must not clear it later.
      standingUnknown: !standing && options.urgent !== true,
      openedBy: options.openedBy,
    });
    logger.info({ ticket: ticket.id, kind }, 'IT request opened');
    await this.deps.announce(ticket).catch((err: unknown) => {
      logger.error({ err, ticket: ticket.id }, 'could not announce the ticket');
    });
    return ticket;
  }
}
