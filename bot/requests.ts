import type { ActionContext } from './actions';
import type { Ticket, TicketKind } from '../services/tickets/model';
import type { TicketStore } from '../services/tickets/store';
import type { Logger } from '../services/logger';

/**
 * Opens IT requests for staff. A second request of the same kind while one is open joins the
 * open one instead of creating a duplicate. The ticket is stored before anyone is told about it.
 */
export class ItRequests {
  /** Called after a new ticket is stored (posting to the IT channel hooks in here). */
  onOpened: (ticket: Ticket) => Promise<void> = async () => {};

  constructor(
    private readonly tickets: TicketStore,
    private readonly logger: Logger,
  ) {}

  async open(ctx: ActionContext, kind: TicketKind, details: Ticket['details']): Promise<Ticket & { joined?: boolean }> {
    const requesterId = ctx.caller.aadObjectId;
    const existing = await this.tickets.openFor(requesterId, kind);
    if (existing) return { ...existing, joined: true };
    const { directory, roles } = ctx.services;
    const [profile, requesterRoles, registration] = await Promise.all([
      directory.getUser(requesterId).catch(() => undefined),
      roles.rolesOf(requesterId).catch(() => undefined),
      directory.registrationFor(requesterId).catch(() => undefined),
    ]);
    const ticket = await this.tickets.create({
      kind,
      requester: {
        id: requesterId,
        name: profile?.displayName ?? ctx.caller.name,
        upn: profile?.userPrincipalName,
        jobTitle: profile?.jobTitle ?? null,
        department: profile?.department ?? null,
      },
      details,
      // When the directory can't say, treat the account as privileged: the stricter rules apply.
      privileged: !requesterRoles || requesterRoles.has('admin') || requesterRoles.has('privileged'),
      adminRole: registration?.isAdmin ?? false,
    });
    this.logger.info({ ticket: ticket.id, kind }, 'IT request opened');
    await this.onOpened(ticket).catch((err: unknown) => {
      this.logger.error({ err, ticket: ticket.id }, 'could not announce the ticket');
    });
    return ticket;
  }
}
