import type { CardJson } from '../../../cards/render';
import { isDirectoryError } from '../../../services/directory/types';
import { isActive, type Ticket } from '../../../services/tickets/model';
import { directoryTrouble } from '../../actions';
import type { TicketDeps, TicketTurn } from './action';

/** A recovery action that reached Graph: the claimed ticket and what Graph answered. */
export interface Claimed {
  ticket: Ticket;
  etag: string;
}

/**
 * Marks the ticket as busy with this action, conditional on the version the rules were checked
 * against: the "ticket is open" check and the claim are one eTag'd write, so a withdrawal that
 * lands first makes the claim fail and nothing reaches Graph. Concurrent clicks: one claim wins.
 */
export async function claim(turn: TicketTurn, action: string): Promise<Claimed> {
  if (!isActive(turn.ticket.status)) throw new Error('claim on a closed ticket');
  return turn.save({
    ...turn.ticket,
    pending: { action, by: turn.actor, at: turn.now.toISOString() },
  });
}

/** Lets go of a claim that changed nothing, with a timeline note when there is something to say. */
export async function release(
  deps: TicketDeps,
  turn: TicketTurn,
  text?: string,
  change: Partial<Ticket> = {},
): Promise<Ticket> {
  const saved = await deps.tickets.mutate(turn.ticket.id, turn.actor, (current) => ({
    ticket: { ...current, ...change, pending: undefined },
    text,
  }));
  return saved?.ticket ?? turn.ticket;
}

/**
 * Records what Graph did on the ticket, whatever else changed meanwhile: `apply` gets the ticket
 * as it is now (a withdrawal may have landed during the call) and returns the change to save.
 */
export async function record(
  deps: TicketDeps,
  turn: TicketTurn,
  apply: (current: Ticket) => { ticket: Ticket; text?: string },
): Promise<Ticket> {
  const saved = await deps.tickets.mutate(turn.ticket.id, turn.actor, (current) => {
    const next = apply(current);
    return { ticket: { ...next.ticket, pending: undefined }, text: next.text };
  });
  return saved?.ticket ?? turn.ticket;
}

/** Plain words for a Graph failure during a ticket action. */
export function directoryFailure(err: unknown): string {
  if (isDirectoryError(err)) {
    if (err.kind === 'invalid-request')
      return `Microsoft 365 refused that: ${err.message}. Nothing was changed.`;
    return directoryTrouble(err.kind);
  }
  return 'That did not work. Nothing was changed. Please try again.';
}

/**
 * Runs one Graph call under a claim. On failure the claim is released with a timeline note, the
 * failure is audited, and the answer is the current card: callers handle success only.
 */
export async function underClaim<R>(
  deps: TicketDeps,
  turn: TicketTurn,
  action: string,
  call: () => Promise<R>,
  failedText: string,
): Promise<{ ok: true; result: R } | { ok: false; card: CardJson }> {
  await claim(turn, action);
  try {
    return { ok: true, result: await call() };
  } catch (err) {
    const current = await release(deps, turn, failedText);
    await turn.audit({
      action: `graph.${action}`,
      target: turn.ticket.requester.id,
      outcome: 'failed',
      reason: isDirectoryError(err) ? err.kind : 'error',
    });
    return { ok: false, card: await deps.board.itCard(current, directoryFailure(err)) };
  }
}
