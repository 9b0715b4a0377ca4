import type { AuditLog } from '../audit/log';
import { claimRanOut } from '../claims';
import type { Clock } from '../clock';
import type { Person } from '../tickets/model';
import type { IncidentStore } from './incident-store';
import type { Incident, IncidentAction, PersonAnswer } from './model';

/**
 * What IT and the person can do with an incident, as data rules: a click on a card older than
 * the incident is refused (stale), an action is claimed before Graph is called so one click has
 * one effect, a handled incident takes no more actions, and only the person answers for
 * themselves. Who may click at all (IT only) is the bot's policy table; every change is audited.
 */

export type ActionResult =
  | { kind: 'ok'; incident: Incident }
  | { kind: 'stale'; incident: Incident }
  | { kind: 'busy'; incident: Incident }
  | { kind: 'handled'; incident: Incident }
  | { kind: 'not-found' };

export type FinishOutcome =
  { ok: true; graphRequestId?: string | null; ticketId?: string } | { ok: false; reason: string };

export type AnswerResult =
  /** `openTicket`: "it wasn't me" and no ticket yet, so the bot opens an urgent one now. */
  | { kind: 'recorded'; incident: Incident; openTicket: boolean }
  | { kind: 'unchanged'; incident: Incident }
  | { kind: 'not-yours' }
  | { kind: 'not-found' };

export interface ActionDeps {
  incidents: IncidentStore;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
}

const SYSTEM: Person = { id: 'system', name: 'MFA Helper' };

type Pending = NonNullable<Incident['pending']>;

const interrupted = ({ by, action }: Pending, how: string) =>
  `${by.name}'s action (${action}) ${how}. Check the account in Microsoft 365 before trying again.`;

const ACTION_AUDIT: Record<IncidentAction, string> = {
  'revoke-sessions': 'signins.incident.revokeSessions',
  'call-back': 'signins.incident.callBack',
  'open-ticket': 'signins.incident.openTicket',
};

const FAILED_TEXT: Record<IncidentAction, string> = {
  'revoke-sessions': 'sign them out everywhere',
  'call-back': 'start the call-back',
  'open-ticket': 'open a recovery ticket',
};

const DONE_TEXT: Record<IncidentAction, (by: string) => string> = {
  'revoke-sessions': (by) => `${by} signed them out everywhere`,
  'call-back': (by) => `${by} is calling back the number on file`,
  'open-ticket': (by) => `${by} opened a recovery ticket`,
};

export class IncidentActions {
  constructor(private readonly deps: ActionDeps) {}

  /** Claims an action for one IT member; the bot calls Graph only after `ok`. */
  async claim(
    id: string,
    action: IncidentAction,
    by: Person,
    version: number,
  ): Promise<ActionResult> {
    const at = this.now();
    return this.guarded(id, version, (current) => ({
      ...current,
      pending: { action, by, at },
      // Taking over a claim that ran out: say so, since its action may have half happened.
      timeline: current.pending
        ? [
            ...current.timeline,
            { at, by: SYSTEM, text: interrupted(current.pending, 'did not finish') },
          ]
        : current.timeline,
    }));
  }

  /**
   * Records how a claimed action ended and releases the claim; undefined when this person holds
   * no claim on it (nothing is recorded). `reason` is short and machine-readable, e.g. 'forbidden'.
   */
  async finish(
    id: string,
    action: IncidentAction,
    by: Person,
    outcome: FinishOutcome,
  ): Promise<Incident | undefined> {
    const at = this.now();
    const claim = { held: false };
    const incident = await this.deps.incidents.mutate(
      id,
      (current) => {
        claim.held = current.pending?.action === action && current.pending.by.id === by.id;
        if (!claim.held) return undefined;
        const text = outcome.ok
          ? DONE_TEXT[action](by.name)
          : `${by.name} could not ${FAILED_TEXT[action]} (${outcome.reason})`;
        return {
          ...current,
          pending: undefined,
          ...(outcome.ok && action === 'revoke-sessions' ? { sessionsRevokedAt: at } : {}),
          ...(outcome.ok && outcome.ticketId ? { ticketId: outcome.ticketId } : {}),
          timeline: [...current.timeline, { at, by, text }],
        };
      },
      { bump: true },
    );
    if (!incident || !claim.held) return undefined;
    await this.deps.audit.append({
      actor: by.id,
      action: ACTION_AUDIT[action],
      target: id,
      outcome: outcome.ok ? 'success' : 'failed',
      ...(outcome.ok ? {} : { reason: outcome.reason }),
      ...(outcome.ok && outcome.graphRequestId !== undefined
        ? { graphRequestId: outcome.graphRequestId }
        : {}),
      details: {
        userId: incident.user.id,
        ...(outcome.ok && outcome.ticketId ? { ticketId: outcome.ticketId } : {}),
      },
    });
    return incident;
  }

  async markHandled(id: string, by: Person, version: number): Promise<ActionResult> {
    const at = this.now();
    const result = await this.guarded(
      id,
      version,
      (current) => ({
        ...current,
        status: 'handled',
        handled: { by, at },
        timeline: [...current.timeline, { at, by, text: `${by.name} marked it handled` }],
      }),
      { bump: true },
    );
    if (result.kind === 'ok') {
      await this.deps.audit.append({
        actor: by.id,
        action: 'signins.incident.handled',
        target: id,
        outcome: 'success',
        details: { userId: result.incident.user.id },
      });
    }
    return result;
  }

  /**
   * The person's answer to "did you just get sign-in requests you didn't start?". "It wasn't me"
   * may follow "it was me" (they thought again), never the other way round: once someone said it
   * wasn't them, a later click cannot calm the alert down.
   */
  async answer(id: string, userId: string, answer: PersonAnswer): Promise<AnswerResult> {
    const at = this.now();
    const seen = { wrongPerson: false, changed: false };
    const incident = await this.deps.incidents.mutate(
      id,
      (current) => {
        seen.wrongPerson = current.user.id !== userId.toLowerCase();
        const previous = current.message.answer;
        seen.changed = !seen.wrongPerson && previous !== answer && previous !== 'not-me';
        if (!seen.changed) return undefined;
        const said = answer === 'not-me' ? "it wasn't me" : 'it was me';
        return {
          ...current,
          urgent: current.urgent || answer === 'not-me',
          message: { ...current.message, answer, answeredAt: at },
          timeline: [
            ...current.timeline,
            {
              at,
              by: { id: current.user.id, name: current.user.name },
              text: `${current.user.name} answered: ${said}`,
            },
          ],
        };
      },
      { bump: true },
    );
    if (!incident) return { kind: 'not-found' };
    if (seen.wrongPerson) return { kind: 'not-yours' };
    if (!seen.changed) return { kind: 'unchanged', incident };
    await this.deps.audit.append({
      actor: incident.user.id,
      action: 'signins.incident.answered',
      target: id,
      outcome: 'success',
      details: { answer },
    });
    return { kind: 'recorded', incident, openTicket: answer === 'not-me' && !incident.ticketId };
  }

  /** Links the ticket opened for the incident ("it wasn't me", or IT's recovery ticket). */
  async linkTicket(id: string, ticketId: string): Promise<Incident | undefined> {
    const at = this.now();
    return this.deps.incidents.mutate(
      id,
      (current) =>
        current.ticketId === ticketId
          ? undefined
          : {
              ...current,
              ticketId,
              timeline: [
                ...current.timeline,
                { at, by: SYSTEM, text: `Ticket ${ticketId} opened` },
              ],
            },
      { bump: true },
    );
  }

  /**
   * After a restart no action of this process can still be running: claims left behind are
   * released, with a note to check the account before trying again.
   */
  async releaseInterrupted(): Promise<number> {
    let released = 0;
    for (const open of await this.deps.incidents.listOpen()) {
      if (!open.pending) continue;
      const at = this.now();
      const attempt = { released: false };
      await this.deps.incidents.mutate(
        open.id,
        (current) => {
          attempt.released = Boolean(current.pending);
          if (!current.pending) return undefined;
          const text = interrupted(current.pending, 'was interrupted by a restart');
          return {
            ...current,
            pending: undefined,
            timeline: [...current.timeline, { at, by: SYSTEM, text }],
          };
        },
        { bump: true },
      );
      if (attempt.released) released += 1;
    }
    return released;
  }

  private async guarded(
    id: string,
    version: number,
    change: (current: Incident) => Incident,
    options: { bump: boolean } = { bump: false },
  ): Promise<ActionResult> {
    const verdict: { refusal?: ActionResult } = {};
    const incident = await this.deps.incidents.mutate(
      id,
      (current) => {
        if (current.version !== version) verdict.refusal = { kind: 'stale', incident: current };
        else if (current.status === 'handled')
          verdict.refusal = { kind: 'handled', incident: current };
        else if (current.pending && !claimRanOut(current.pending.at, this.deps.clock.now()))
          verdict.refusal = { kind: 'busy', incident: current };
        else verdict.refusal = undefined;
        return verdict.refusal ? undefined : change(current);
      },
      options,
    );
    if (!incident) return { kind: 'not-found' };
    return verdict.refusal ?? { kind: 'ok', incident };
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
