import type { ActionContext } from './actions';
import type { Ticket, TicketKind } from '../services/tickets/model';
import type { TicketStore } from '../services/tickets/store';
import type { Logger } from '../services/logger';

/**
 * Opens IT requests for staff. A second request of the same kind while one is open joins the
 * open one instead of creating a duplicate. The ticket is stored before anyone is told about it.
 */
export class ItRequests {
  /** Called after a new ticket is stored (the IT channel post hooks in here). */
  onOpened: (ticket: Ticket) => Promise<void> = async () => {};

  constructor(
    private readonly tickets: TicketStore,
    private readonly logger: Logger,
  ) {}

  async open(ctx: ActionContext, kind: TicketKind, details: Ticket['details']): Promise<Ticket> {
    const requesterId = ctx.caller.aadObjectId;
    const existing = await this.tickets.openFor(requesterId, kind);
    if (existing) return existing;
    const profile = await ctx.services.directory.getUser(requesterId).catch(() => undefined);
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
    });
    this.logger.info({ ticket: ticket.id, kind }, 'IT request opened');
    await this.onOpened(ticket).catch((err: unknown) => {
      // The ticket is stored; the channel post is retried by the escalation service.
      this.logger.error({ err, ticket: ticket.id }, 'could not announce the ticket');
    });
    return ticket;
  }
}
