import { VERBS, type Verb } from '../../../cards/verbs';
import { authorize } from '../../../services/authz/policy';
import { isDirectoryError } from '../../../services/directory/types';
import type { FinishOutcome } from '../../../services/signins/incident-actions';
import type { Incident, IncidentAction, PersonAnswer } from '../../../services/signins/model';
import type { Person, Ticket } from '../../../services/tickets/model';
import type { ActionDef } from '../../actions';
import { auditFor } from '../../audit';
import { messageCard } from '../../replies';
import { directoryFailure } from '../tickets/effects';
import {
  IncidentRef,
  loadForIt,
  refusal,
  Versioned,
  type IncidentTurn,
  type SignInDeps,
} from './action';
import type { FollowUp } from './board';

/** What an IT action did, for the record, the clicker and the thread. */
interface Effect {
  outcome: FinishOutcome;
  /** Shown to the clicker only, on their own card. */
  notice: string;
  followUp?: Omit<FollowUp, 'incidentId'>;
}

/**
 * An IT action on an alert with every rule checked on the server, whatever the card said: the
 * clicker is IT now (asked afresh, not from the cache), the account is not their own, the card
 * is not stale, the alert is open and nobody else is acting on it. The action is claimed before
 * Graph is called, so concurrent clicks have one effect; how it ended is recorded and audited.
 */
function claimedAction(
  deps: SignInDeps,
  verb: Verb,
  action: IncidentAction,
  effect: (turn: IncidentTurn) => Promise<Effect>,
): ActionDef<typeof Versioned> {
  return {
    verb,
    schema: Versioned,
    authorizesItself: true,
    async run(ctx, data) {
      const loaded = await loadForIt(deps, ctx, verb, data.incidentId, { fresh: true });
      if (loaded.kind === 'answer') return loaded.card;
      const { turn } = loaded;
      const claim = await deps.actions.claim(turn.incident.id, action, turn.actor, data.v);
      if (claim.kind !== 'ok') return refusal(deps, turn, verb, claim);
      let done: Effect;
      try {
        done = await effect({ ...turn, incident: claim.incident });
      } catch (err) {
        deps.logger.warn(
          { err: String((err as Error).message ?? err), incident: turn.incident.id, action },
          'sign-in alert action failed',
        );
        const reason = isDirectoryError(err) ? err.kind : 'error';
        done = { outcome: { ok: false, reason }, notice: directoryFailure(err) };
      }
      const after = await deps.actions.finish(turn.incident.id, action, turn.actor, done.outcome);
      const current = after ?? (await deps.incidents.get(turn.incident.id))?.value;
      await deps.board.followUp({ incidentId: turn.incident.id, ...done.followUp });
      if (!current) return messageCard('Alert not found', 'This alert no longer exists.');
      return deps.board.itCard(
        current,
        after
          ? done.notice
          : 'A restart interrupted this action. Check the account before trying again.',
      );
    },
  };
}

/** Opens (or joins) the person's urgent recovery ticket for this alert; it is posted at once. */
async function openUrgentTicket(
  deps: SignInDeps,
  incident: Incident,
  openedBy?: Person,
): Promise<Ticket & { joined?: boolean }> {
  return deps.requests.open(
    { aadObjectId: incident.user.id, name: incident.user.name },
    'suspicious-sign-in',
    {
      incidentId: incident.id,
      prompts: String(incident.promptIds.length),
      said: incident.message.answer ?? 'none',
    },
    { urgent: true, openedBy },
  );
}

/**
 * The person's answer to "did you just get sign-in requests you didn't start?". Only they may
 * answer. The card's version is carried but an answer is never refused as stale: IT acting on
 * the alert meanwhile must not silence "it wasn't me". "It wasn't me" opens an urgent ticket
 * and tells IT at once; a click that finds the ticket missing (a failure before) opens it then.
 */
function answerAction(
  deps: SignInDeps,
  verb: Verb,
  answer: PersonAnswer,
): ActionDef<typeof Versioned> {
  return {
    verb,
    schema: Versioned,
    authorizesItself: true,
    async run(ctx, data) {
      const audit = auditFor(deps.audit, ctx.turn, ctx.caller.aadObjectId);
      const notYours = messageCard(
        'Not for you',
        'This question was for someone else, so nothing was recorded.',
      );
      const doc = await deps.incidents.get(data.incidentId);
      const decision = authorize(
        verb,
        { id: ctx.caller.aadObjectId.toLowerCase(), roles: new Set() },
        { requesterId: doc?.value.user.id },
      );
      if (!doc || !decision.allowed) {
        await audit({
          action: verb,
          target: data.incidentId,
          outcome: 'denied',
          reason: doc ? 'not-requester' : 'unknown-alert',
        });
        return notYours;
      }
      const result = await deps.actions.answer(data.incidentId, ctx.caller.aadObjectId, answer);
      if (result.kind === 'not-found' || result.kind === 'not-yours') return notYours;
      let incident = result.incident;
      const said = incident.message.answer;
      const needsTicket =
        said === 'not-me' &&
        !incident.ticketId &&
        (result.kind === 'unchanged' || result.openTicket);
      let ticketId = incident.ticketId;
      if (needsTicket) {
        const ticket = await openUrgentTicket(deps, incident);
        ticketId = ticket.id;
        incident = (await deps.actions.linkTicket(incident.id, ticket.id)) ?? incident;
      }
      if (result.kind === 'recorded') {
        const name = incident.user.name;
        await deps.board.followUp({
          incidentId: incident.id,
          announce:
            answer === 'not-me'
              ? `🚨 ${name} says the sign-in requests were not them.${ticketId ? ` Urgent ticket ${ticketId} is open.` : ''} Sign them out everywhere and call them back on the number on file.`
              : `${name} says the sign-in requests were theirs. A click proves nothing about who is signing in: call them back on the number on file before you trust it.`,
        });
      } else if (needsTicket) {
        await deps.board.followUp({ incidentId: incident.id });
      }
      return deps.board.checkCard(incident);
    },
  };
}

/** Every verb of the sign-in alerts, IT's and the person's, given what they use. */
export function signinActions(deps: SignInDeps): ActionDef[] {
  /** IT's own view of an alert (also what Teams asks for to refresh the shared card per person). */
  const view: ActionDef<typeof IncidentRef> = {
    verb: VERBS.signinView,
    schema: IncidentRef,
    authorizesItself: true,
    async run(ctx, data) {
      const automatic =
        (ctx.turn.activity.value as { trigger?: string } | undefined)?.trigger === 'automatic';
      const loaded = await loadForIt(deps, ctx, VERBS.signinView, data.incidentId, {
        quietRefusal: automatic,
      });
      if (loaded.kind === 'answer') return loaded.card;
      return deps.board.itCard(loaded.turn.incident);
    },
  };

  const revoke = claimedAction(deps, VERBS.signinRevoke, 'revoke-sessions', async (turn) => {
    const receipt = await deps.directory.revokeSessions(turn.incident.user.id);
    return {
      outcome: { ok: true, graphRequestId: receipt.requestId },
      notice:
        'Signed out everywhere. It can take a few minutes, and existing access tokens last up to an hour.',
      followUp: {
        announce: `🔒 ${turn.actor.name} signed ${turn.incident.user.name} out everywhere.`,
        person:
          'IT signed your work account out everywhere because of sign-in requests you may not have started. Sign in again on your devices; it can take a few minutes.',
      },
    };
  });

  /** The number from the person's staff profile, shown to the clicker only. */
  const callBack = claimedAction(deps, VERBS.signinCallBack, 'call-back', async (turn) => {
    const { user } = turn.incident;
    const profile = await deps.directory.getUser(user.id);
    const number = profile.businessPhones[0] ?? profile.mobilePhone ?? null;
    if (!number) {
      return {
        outcome: { ok: false, reason: 'no-number-on-file' },
        notice: `There is no phone number in ${user.name}'s staff profile, so there is nobody to call back. Check with them in person.`,
      };
    }
    return {
      outcome: { ok: true },
      notice: `Call ${user.name} on ${number}, the number in their staff profile (never one from a chat or their security info). Ask whether they started these sign-ins; never ask for a code or their password.`,
      followUp: {
        announce: `📞 ${turn.actor.name} is calling ${user.name} back on the number on file.`,
      },
    };
  });

  const openTicket = claimedAction(deps, VERBS.signinOpenTicket, 'open-ticket', async (turn) => {
    const ticket = await openUrgentTicket(deps, turn.incident, turn.actor);
    return {
      outcome: { ok: true, ticketId: ticket.id },
      notice: ticket.joined
        ? `${turn.incident.user.name} already has recovery ticket ${ticket.id} open; it is linked to this alert.`
        : `Opened urgent recovery ticket ${ticket.id}; it is in the IT channel.`,
      followUp: {
        announce: `🎫 ${turn.actor.name} opened recovery ticket ${ticket.id} for ${turn.incident.user.name}.`,
      },
    };
  });

  const markHandled: ActionDef<typeof Versioned> = {
    verb: VERBS.signinHandled,
    schema: Versioned,
    authorizesItself: true,
    async run(ctx, data) {
      // Asked afresh like the other actions: someone who just left IT can't close an alert.
      const loaded = await loadForIt(deps, ctx, VERBS.signinHandled, data.incidentId, {
        fresh: true,
      });
      if (loaded.kind === 'answer') return loaded.card;
      const { turn } = loaded;
      const result = await deps.actions.markHandled(turn.incident.id, turn.actor, data.v);
      if (result.kind !== 'ok') return refusal(deps, turn, VERBS.signinHandled, result);
      await deps.board.followUp({
        incidentId: turn.incident.id,
        announce: `✅ ${turn.actor.name} marked ${turn.incident.id} handled.`,
      });
      return deps.board.itCard(result.incident, 'Marked handled.');
    },
  };

  return [
    view,
    revoke,
    callBack,
    openTicket,
    markHandled,
    answerAction(deps, VERBS.signinItWasMe, 'it-was-me'),
    answerAction(deps, VERBS.signinNotMe, 'not-me'),
  ] as ActionDef[];
}
