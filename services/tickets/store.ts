import type { Clock } from '../clock';
import { ConflictError, type DocumentStore, type StoredDoc } from '../storage/types';
import { isActive, type Person, type ThreadRef, type Ticket, type TicketKind } from './model';

export { isActive } from './model';

const TICKETS = 'tickets';
const COUNTERS = 'counters';

export interface NewTicket {
  kind: TicketKind;
  requester: Ticket['requester'];
  details: Ticket['details'];
  privileged?: boolean;
  adminRole?: boolean;
  standingUnknown?: boolean;
  /** Someone who opened it for the requester (IT, from a sign-in alert). */
  openedBy?: Person;
}

/** Tickets in storage, with numbers handed out once each and eTag-guarded updates. */
export class TicketStore {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
  ) {}

  async create(input: NewTicket): Promise<Ticket> {
    const id = await this.nextNumber();
    const now = this.clock.now().toISOString();
    const ticket: Ticket = {
      id,
      kind: input.kind,
      status: 'open',
      version: 1,
      requester: input.requester,
      createdAt: now,
      updatedAt: now,
      details: input.details,
      privileged: input.privileged ?? false,
      adminRole: input.adminRole ?? false,
      ...(input.standingUnknown ? { standingUnknown: true } : {}),
      timeline: [
        {
          at: now,
          by: input.openedBy ?? { id: input.requester.id, name: input.requester.name },
          text: input.openedBy
            ? `${input.openedBy.name} opened it for ${input.requester.name}`
            : `${input.requester.name} opened the request`,
        },
      ],
    };
    await this.store.put(TICKETS, id, ticket, { ifAbsent: true, index: indexOf(ticket) });
    return ticket;
  }

  async get(id: string): Promise<StoredDoc<Ticket> | undefined> {
    return this.store.get<Ticket>(TICKETS, id);
  }

  /**
   * Saves a changed ticket only if nobody changed it since `etag` was read; with `text`, adds a
   * timeline entry. Throws ConflictError when someone else got there first.
   */
  async update(
    ticket: Ticket,
    etag: string,
    by: Person,
    text?: string,
  ): Promise<{ ticket: Ticket; etag: string }> {
    const now = this.clock.now().toISOString();
    const timeline = text ? [...ticket.timeline, { at: now, by, text }] : ticket.timeline;
    const next: Ticket = { ...ticket, version: ticket.version + 1, updatedAt: now, timeline };
    const newEtag = await this.store.put(TICKETS, ticket.id, next, { etag, index: indexOf(next) });
    return { ticket: next, etag: newEtag };
  }

  /**
   * Re-reads and changes the ticket until the write wins (or `change` returns nothing). For
   * changes that must land whatever else happened meanwhile, such as recording what Graph did.
   */
  async mutate(
    id: string,
    by: Person,
    change: (current: Ticket) => { ticket: Ticket; text?: string } | undefined,
  ): Promise<{ ticket: Ticket; etag: string } | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const doc = await this.get(id);
      if (!doc) return undefined;
      const next = change(doc.value);
      if (!next) return { ticket: doc.value, etag: doc.etag };
      try {
        return await this.update(next.ticket, doc.etag, by, next.text);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`could not save ticket ${id}: too much contention`);
  }

  /**
   * Records where the ticket's card was posted. This is bookkeeping, not a change IT acts on, so
   * the version stays: a card rendered before it still carries the version the server expects.
   */
  async attachThread(id: string, thread: ThreadRef): Promise<Ticket | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const doc = await this.get(id);
      if (!doc) return undefined;
      const next: Ticket = { ...doc.value, thread };
      try {
        await this.store.put(TICKETS, id, next, { etag: doc.etag, index: indexOf(next) });
        return next;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`could not save where ticket ${id} was posted: too much contention`);
  }

  /** The requester's ticket of this kind that is still open, if any. */
  async openFor(requesterId: string, kind?: TicketKind): Promise<Ticket | undefined> {
    const open = await this.listOpen();
    return open.find((t) => t.requester.id === requesterId && (!kind || t.kind === kind));
  }

  async listOpen(): Promise<Ticket[]> {
    const docs = await this.store.query<Ticket>(TICKETS, { indexPrefix: 'active|' });
    return docs.map((d) => d.value).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * After a restart, no action of this instance can still be running: actions that were claimed
   * but never finished are released, with a note telling IT to check the account first.
   */
  async releaseInterrupted(): Promise<number> {
    let released = 0;
    for (const t of await this.listOpen()) {
      if (!t.pending) continue;
      const doc = await this.get(t.id);
      if (!doc?.value.pending) continue;
      const p = doc.value.pending;
      try {
        await this.update(
          { ...doc.value, pending: undefined },
          doc.etag,
          { id: 'system', name: 'MFA Helper' },
          `An action by ${p.by.name} (${p.action}) was interrupted by a restart. Check the account in Microsoft 365 before trying again.`,
        );
        released += 1;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return released;
  }

  private async nextNumber(): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const current = await this.store.get<{ n: number }>(COUNTERS, TICKETS);
      const n = (current?.value.n ?? 0) + 1;
      try {
        await this.store.put(
          COUNTERS,
          TICKETS,
          { n },
          current ? { etag: current.etag } : { ifAbsent: true },
        );
        return `MFA-${String(n).padStart(4, '0')}`;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error('could not allocate a ticket number: too much contention');
  }
}

function indexOf(t: Ticket): string {
  return `${isActive(t.status) ? 'active' : 'closed'}|${t.createdAt}`;
}
