import { z } from 'zod';
import type { CardJson } from '../../../cards/render';
import type { Verb } from '../../../cards/verbs';
import type { AuditLog } from '../../../services/audit/log';
import { authorize } from '../../../services/authz/policy';
import type { RoleResolver } from '../../../services/authz/roles';
import type { Directory } from '../../../services/directory/types';
import type { Logger } from '../../../services/logger';
import type { ActionResult, IncidentActions } from '../../../services/signins/incident-actions';
import type { IncidentStore } from '../../../services/signins/incident-store';
import { INCIDENT_ID_PATTERN, type Incident } from '../../../services/signins/model';
import type { Person } from '../../../services/tickets/model';
import type { ActionContext } from '../../actions';
import { auditFor, type AuditFields } from '../../audit';
import type { ItChannel } from '../../it-channel';
import { messageCard } from '../../replies';
import type { ItRequests } from '../../requests';
import type { SignInBoard } from './board';

export const IncidentRef = z.object({ incidentId: z.string().regex(INCIDENT_ID_PATTERN) }).loose();
/** Every click that changes an incident carries the version its card showed; without it, refused. */
export const Versioned = IncidentRef.extend({ v: z.coerce.number().int().positive() });

/** What the sign-in alert actions use, built once by the composition root. */
export interface SignInDeps {
  incidents: IncidentStore;
  actions: IncidentActions;
  board: SignInBoard;
  channel: ItChannel;
  directory: Pick<Directory, 'revokeSessions' | 'getUser'>;
  requests: Pick<ItRequests, 'open'>;
  roles: RoleResolver;
  audit: AuditLog;
  logger: Logger;
  settings: { itPhone: string };
}

/** One click on one incident by an IT member, after the role and own-account checks passed. */
export interface IncidentTurn {
  ctx: ActionContext;
  incident: Incident;
  actor: Person;
  audit(entry: AuditFields): Promise<void>;
}

type Loaded = { kind: 'answer'; card: CardJson } | { kind: 'loaded'; turn: IncidentTurn };

/**
 * Loads an incident for an IT member and checks the policy. Someone outside IT in the IT channel
 * sees the read-only card again with a plain note; an IT member whose own account it is, too:
 * another IT member handles it, as with tickets.
 */
export async function loadForIt(
  deps: SignInDeps,
  ctx: ActionContext,
  verb: Verb,
  incidentId: string,
  options: { fresh?: boolean; quietRefusal?: boolean } = {},
): Promise<Loaded> {
  const actor: Person = { id: ctx.caller.aadObjectId, name: ctx.caller.name || 'Someone' };
  const audit = auditFor(deps.audit, ctx.turn, actor.id);
  const doc = await deps.incidents.get(incidentId);
  if (!doc) {
    await audit({ action: verb, target: incidentId, outcome: 'refused', reason: 'unknown-alert' });
    return {
      kind: 'answer',
      card: messageCard('Alert not found', `I can't find sign-in alert ${incidentId}.`),
    };
  }
  const incident = doc.value;
  const roles = await deps.roles.rolesOf(actor.id, { fresh: options.fresh });
  const decision = authorize(
    verb,
    { id: actor.id.toLowerCase(), roles },
    { requesterId: incident.user.id },
  );
  if (!decision.allowed) {
    if (!options.quietRefusal)
      await audit({
        action: verb,
        target: incident.id,
        outcome: 'denied',
        reason: decision.reason,
      });
    if (decision.reason === 'own-ticket') {
      return {
        kind: 'answer',
        card: await deps.board.itCard(
          incident,
          'This alert is about your own account. Another IT member has to handle it, so nobody acts on their own account.',
        ),
      };
    }
    if (deps.board.isAlertChannel(incident, ctx.turn.activity.conversation?.id)) {
      const notice = options.quietRefusal
        ? ''
        : 'Only the IT team can act on sign-in alerts. Nothing was changed.';
      return { kind: 'answer', card: await deps.board.summary(incident, notice) };
    }
    return {
      kind: 'answer',
      card: messageCard('Not available to you', 'Only the IT team can act on sign-in alerts.'),
    };
  }
  if (roles.has('it')) await deps.channel.learnMember(ctx);
  return { kind: 'loaded', turn: { ctx, incident, actor, audit } };
}

const REFUSALS: Record<Exclude<ActionResult['kind'], 'ok'>, string> = {
  stale: 'This card was out of date, so nothing was changed. Here is the latest.',
  busy: 'Someone in IT is acting on this alert right now. Nothing was changed.',
  handled: 'This alert was already marked handled, so nothing was changed.',
  'not-found': 'This alert no longer exists.',
};

const REASONS: Record<Exclude<ActionResult['kind'], 'ok'>, string> = {
  stale: 'stale-card',
  busy: 'in-flight',
  handled: 'handled',
  'not-found': 'unknown-alert',
};

/**
 * The answer to a refused claim (stale card, someone else on it, already handled): audited here,
 * answered with the current card.
 */
export async function refusal(
  deps: SignInDeps,
  turn: IncidentTurn,
  verb: Verb,
  result: Exclude<ActionResult, { kind: 'ok' }>,
): Promise<CardJson> {
  await turn.audit({
    action: verb,
    target: turn.incident.id,
    outcome: 'refused',
    reason: REASONS[result.kind],
  });
  if (result.kind === 'not-found') return messageCard('Alert not found', REFUSALS['not-found']);
  const notice =
    result.kind === 'busy' && result.incident.pending
      ? `${result.incident.pending.by.name} is acting on this alert right now. Nothing was changed.`
      : REFUSALS[result.kind];
  return deps.board.itCard(result.incident, notice);
}
