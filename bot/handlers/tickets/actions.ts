import { z } from 'zod';
import { expandCard } from '../../../cards/render';
import { VERBS } from '../../../cards/verbs';
import { liveStanding, type Standing } from '../../../services/authz/standing';
import { MINUTE } from '../../../services/clock';
import { isDirectoryError } from '../../../services/directory/types';
import { screenText } from '../../../services/guard/guard';
import { KIND_LABELS, type Person, type Ticket } from '../../../services/tickets/model';
import { identityCheckState, livePass, passBlocker } from '../../../services/tickets/rules';
import type { ActionDef } from '../../actions';
import {
  loadForActor,
  refused,
  ticketAction,
  TicketRef,
  Versioned,
  type Outcome,
  type TicketDeps,
  type TicketTurn,
} from './action';
import { claim, directoryFailure, record, release, underClaim } from './effects';
import { removeLostAuthenticator } from '../../../services/tickets/recovery';
import type { DefaultMethod } from '../../../services/directory/types';
import { age, BLOCKER_TEXT, clock, passCard, VERIFY_BY } from './view';

const TICKETS_PER_PAGE = 25;
const ListPage = z.object({ page: z.coerce.number().int().min(1).max(1000).optional() }).loose();
const Verify = Versioned.extend({
  method: z.enum(['callback', 'in-person', 'manager']),
  note: z.string().max(140).optional(),
});
const Remove = Versioned.extend({ deviceId: z.string().min(1).max(100) });
const Resolve = Versioned.extend({
  reason: z.enum(['recovered', 'found', 'fulfilled', 'not-needed']),
});

const DEFAULT_NAMES: Record<DefaultMethod, string> = {
  push: 'Microsoft Authenticator',
  oath: 'codes from an authenticator app or token',
  sms: 'text message',
  voiceMobile: 'a call to their mobile',
  voiceOffice: 'a call to their office phone',
};

const RESOLUTIONS: Record<z.infer<typeof Resolve>['reason'], string> = {
  recovered: 'Recovered: new phone set up',
  found: 'Phone found',
  fulfilled: 'Request fulfilled',
  'not-needed': 'Duplicate or not needed',
};

function assignIfNobody(t: Ticket, actor: Person): Ticket {
  return t.assignee
    ? t
    : { ...t, assignee: actor, status: t.status === 'open' ? 'assigned' : t.status };
}

const changed = (
  ticket: Ticket,
  extra: Omit<Extract<Outcome, { kind: 'changed' }>, 'kind' | 'ticket'> = {},
): Outcome => ({
  kind: 'changed',
  ticket,
  ...extra,
});

/** Every IT verb on tickets, given what they use. */
export function ticketActions(deps: TicketDeps): ActionDef[] {
  const { settings } = deps;
  const ttl = settings.checkTtlMs;

  const list: ActionDef<typeof ListPage> = {
    verb: VERBS.itTickets,
    schema: ListPage,
    async run(_ctx, data) {
      const open = await deps.tickets.listOpen();
      const now = deps.clock.now();
      // Teams refuses messages over ~80 KB: one page of the most urgent and oldest first.
      open.sort(
        (a, b) =>
          Number(b.privileged || b.adminRole) - Number(a.privileged || a.adminRole) ||
          a.createdAt.localeCompare(b.createdAt),
      );
      const pages = Math.max(1, Math.ceil(open.length / TICKETS_PER_PAGE));
      const page = Math.min(data.page ?? 1, pages);
      const shown = open.slice((page - 1) * TICKETS_PER_PAGE, page * TICKETS_PER_PAGE);
      return expandCard('tickets-list', {
        count: open.length,
        range:
          pages > 1
            ? `Showing ${(page - 1) * TICKETS_PER_PAGE + 1}–${(page - 1) * TICKETS_PER_PAGE + shown.length}, urgent and oldest first.`
            : '',
        hasMore: page < pages,
        nextPage: page + 1,
        hasPrev: page > 1,
        prevPage: page - 1,
        tickets: shown.map((t) => ({
          id: t.id,
          urgent: t.privileged || t.adminRole,
          title: `${t.id} · ${KIND_LABELS[t.kind]}${t.privileged || t.adminRole ? ' · URGENT' : ''}`,
          subtitle: `${t.requester.name} · ${t.status} · ${t.assignee ? `with ${t.assignee.name}` : 'unassigned'} · ${age(t.createdAt, now)}`,
        })),
      });
    },
  };

  /** IT's own view of a ticket (also what Teams asks for to refresh the shared card per person). */
  const view: ActionDef<typeof TicketRef> = {
    verb: VERBS.ticketView,
    schema: TicketRef,
    authorizesItself: true,
    async run(ctx, data) {
      const automatic =
        (ctx.turn.activity.value as { trigger?: string } | undefined)?.trigger === 'automatic';
      const loaded = await loadForActor(deps, ctx, VERBS.ticketView, data.ticketId, {
        quietRefusal: automatic,
      });
      if (loaded.kind === 'answer') return loaded.card;
      return deps.board.itCard(loaded.turn.ticket);
    },
  };

  const passGiven: ActionDef<typeof TicketRef> = {
    verb: VERBS.ticketPassGiven,
    schema: TicketRef,
    authorizesItself: true,
    async run(ctx, data) {
      const loaded = await loadForActor(deps, ctx, VERBS.ticketPassGiven, data.ticketId);
      if (loaded.kind === 'answer') return loaded.card;
      return deps.board.itCard(loaded.turn.ticket, 'Thanks. The pass is no longer shown anywhere.');
    },
  };

  const assign = ticketAction(
    deps,
    VERBS.ticketAssign,
    Versioned,
    async ({ ticket, actor, save }) => {
      const next: Ticket = {
        ...ticket,
        assignee: actor,
        status: ticket.status === 'open' ? 'assigned' : ticket.status,
      };
      const saved = await save(next, `${actor.name} took this ticket`);
      return changed(saved.ticket, {
        followUp: {
          requester: {
            text: `${actor.name} from IT is handling your request ${ticket.id}.`,
            email: false,
          },
        },
      });
    },
  );

  const verify = ticketAction(
    deps,
    VERBS.ticketVerify,
    Verify,
    async ({ ticket, actor, now, save }, data) => {
      const state = identityCheckState(ticket, now, ttl);
      if (state === 'valid' || state === 'awaiting-second') {
        return refused(
          'already-checked',
          'Identity is already checked for the next pass. Nothing was changed.',
        );
      }
      const note = data.note?.trim();
      if (note && screenText(note).verdict === 'sensitive') {
        return refused(
          'sensitive-note',
          "That note looks like it holds a code, password or patient detail, so it wasn't saved. Please record the check without it.",
        );
      }
      const next: Ticket = {
        ...assignIfNobody(ticket, actor),
        status: 'verified',
        verification: {
          method: data.method,
          note: note || undefined,
          by: actor,
          at: now.toISOString(),
        },
      };
      const second = next.privileged
        ? ' A second person must confirm it before a pass can be issued.'
        : '';
      const saved = await save(
        next,
        `${actor.name} confirmed identity: ${VERIFY_BY[data.method]}.${second}`,
      );
      return changed(saved.ticket);
    },
  );

  const confirm = ticketAction(
    deps,
    VERBS.ticketConfirm,
    Versioned,
    async ({ ticket, actor, now, save }) => {
      const v = ticket.verification;
      const state = identityCheckState(ticket, now, ttl);
      if (!v || state === 'none')
        return refused('no-check', 'There is no identity check to confirm yet.');
      if (state === 'expired') return refused('check-expired', BLOCKER_TEXT['check-expired']);
      if (state !== 'awaiting-second')
        return refused(
          'already-confirmed',
          'This identity check needs no more confirming. Nothing was changed.',
        );
      if (v.by.id === actor.id)
        return refused(
          'same-person',
          'You recorded this check yourself. A different person has to confirm it.',
        );
      const next: Ticket = {
        ...ticket,
        verification: { ...v, confirmedBy: actor, confirmedAt: now.toISOString() },
      };
      const saved = await save(next, `${actor.name} confirmed the identity check (second person)`);
      return changed(saved.ticket);
    },
    { extraRoles: (s) => (s.secondVerifierMayBeAdmin ? ['admin'] : []) },
  );

  const revoke = ticketAction(
    deps,
    VERBS.ticketRevoke,
    Versioned,
    async (turn) => {
      const { ticket, actor } = turn;
      const done = await underClaim(
        deps,
        turn,
        'revokeSignInSessions',
        () => deps.directory.revokeSessions(ticket.requester.id),
        'Signing out failed',
      );
      if (!done.ok) return { kind: 'card', card: done.card };
      const at = deps.clock.now().toISOString();
      const after = await record(deps, turn, (current) => ({
        ticket: assignIfNobody({ ...current, sessionsRevokedAt: at }, actor),
        text: `${actor.name} signed ${current.requester.name} out of every session`,
      }));
      await turn.audit({
        action: 'graph.revokeSignInSessions',
        target: ticket.requester.id,
        outcome: 'success',
        graphRequestId: done.result.requestId,
      });
      return changed(after, {
        notice:
          'Signed out everywhere. It can take a few minutes, and existing access tokens last up to an hour.',
        followUp: {
          requester: {
            text: 'IT signed your account out everywhere. Sign in again on your devices; it may take a few minutes to take effect.',
            email: true,
          },
        },
      });
    },
    { freshRole: true },
  );

  const removeDevice = ticketAction(
    deps,
    VERBS.ticketRemoveDevice,
    Remove,
    async (turn, data) => {
      const { ticket, actor } = turn;
      const devices = await deps.directory.authenticatorDevices(ticket.requester.id);
      const device = devices.find((d) => d.id === data.deviceId);
      if (!device)
        return refused(
          'no-such-device',
          'That device is no longer on their account. Here is the current list.',
        );
      const name = device.displayName ?? 'Authenticator device';
      const done = await underClaim(
        deps,
        turn,
        'removeAuthenticator',
        () => removeLostAuthenticator(deps.directory, ticket.requester.id, device.id),
        `Removing ${name} failed`,
      );
      if (!done.ok) return { kind: 'card', card: done.card };
      const result = done.result;
      if (!result.removed) {
        await release(
          deps,
          turn,
          `Microsoft 365 would not remove "${name}": it is the default sign-in method`,
        );
        return refused(
          'default-method',
          `Microsoft 365 won't remove "${name}" because it is ${ticket.requester.name}'s default sign-in method, and none of their other methods can be made the default from here. In the Microsoft Entra admin center, open Users > ${ticket.requester.name} > Authentication methods and choose "Require re-register multifactor authentication" (or remove the lost phone there). Then they set up Authenticator again.`,
        );
      }
      const defaultNote = result.defaultChangedTo
        ? ` Their default sign-in method is now ${DEFAULT_NAMES[result.defaultChangedTo]}.`
        : '';
      const after = await record(deps, turn, (current) => ({
        ticket: assignIfNobody(
          { ...current, removedDevices: [...(current.removedDevices ?? []), name] },
          actor,
        ),
        text: `${actor.name} removed Authenticator on "${name}".${defaultNote}`,
      }));
      if (result.defaultChangedTo) {
        await turn.audit({
          action: 'graph.setDefaultMethod',
          target: ticket.requester.id,
          outcome: 'success',
          graphRequestId: result.defaultReceipt?.requestId,
          details: { method: result.defaultChangedTo },
        });
      }
      await turn.audit({
        action: 'graph.removeAuthenticator',
        target: ticket.requester.id,
        outcome: 'success',
        graphRequestId: result.receipt.requestId,
        details: { device: name },
      });
      const smsWarning =
        result.defaultChangedTo === 'sms'
          ? ' If that number was on the lost phone, ask them to change it at aka.ms/mysecurityinfo once they are signed in again.'
          : '';
      return changed(after, {
        notice: result.defaultChangedTo ? `Removed.${defaultNote}${smsWarning}` : undefined,
        followUp: {
          requester: {
            text: `IT removed Microsoft Authenticator on "${name}" from your account, so that phone can no longer approve sign-ins.`,
            email: true,
          },
        },
      });
    },
    { freshRole: true },
  );

  const issuePass = ticketAction(
    deps,
    VERBS.ticketIssuePass,
    Versioned,
    (turn) => issue(deps, turn),
    { freshRole: true },
  );

  const resolve = ticketAction(
    deps,
    VERBS.ticketResolve,
    Resolve,
    async ({ ticket, actor, save }, data) => {
      if (data.reason === 'recovered') {
        const devices = await deps.directory
          .authenticatorDevices(ticket.requester.id)
          .catch((err: unknown) => {
            if (isDirectoryError(err)) return undefined;
            throw err;
          });
        if (!devices)
          return refused(
            'directory-unavailable',
            "I can't check Microsoft 365 right now, so nothing was changed. Please try again in a few minutes.",
          );
        if (devices.length === 0)
          return refused(
            'no-authenticator',
            `Microsoft 365 shows no Authenticator for ${ticket.requester.name} yet, so this is not recovered. Choose another reason, or resolve it once they have set up the new phone.`,
          );
      }
      const next: Ticket = {
        ...assignIfNobody(ticket, actor),
        status: 'resolved',
        resolution: RESOLUTIONS[data.reason],
        verification: undefined,
      };
      const saved = await save(next, `${actor.name} resolved it: ${RESOLUTIONS[data.reason]}`);
      return changed(saved.ticket, {
        followUp: {
          requester: {
            text: `Your request ${ticket.id} is resolved: ${RESOLUTIONS[data.reason]}.`,
            email: false,
          },
        },
      });
    },
  );

  const reopen = ticketAction(
    deps,
    VERBS.ticketReopen,
    Versioned,
    async ({ ticket, actor, save }) => {
      if (ticket.status !== 'resolved')
        return refused('not-resolved', 'Only resolved tickets can be reopened.');
      const next: Ticket = {
        ...ticket,
        status: 'assigned',
        assignee: ticket.assignee ?? actor,
        resolution: undefined,
        verification: undefined,
      };
      const saved = await save(next, `${actor.name} reopened it`);
      return changed(saved.ticket, {
        followUp: { requester: { text: `IT reopened your request ${ticket.id}.`, email: false } },
      });
    },
    { whenClosed: 'allow' },
  );

  return [
    list,
    view,
    assign,
    verify,
    confirm,
    revoke,
    removeDevice,
    issuePass,
    passGiven,
    resolve,
    reopen,
  ] as ActionDef[];
}

/**
 * Issues a one-time Temporary Access Pass. Under the ticket's claim: a slot of the issuer's
 * hourly limit is reserved, the requester's standing is read live (any Entra role, held or
 * eligible; the admin and privileged groups), and only then is Graph asked for the pass. Any
 * doubt stops it, and every way out gives back what it took. The identity check is used up.
 */
async function issue(deps: TicketDeps, turn: TicketTurn): Promise<Outcome> {
  const { ticket, actor, now } = turn;
  const { settings, directory, limiter } = deps;
  const blocker = passBlocker(ticket, now, settings.checkTtlMs);
  // Privileged only because the directory could not say at opening: the live check decides.
  const settledLive = blocker === 'needs-second' && ticket.standingUnknown;
  if (blocker && !settledLive) return refused(blocker, BLOCKER_TEXT[blocker]);
  await claim(turn, 'createTemporaryAccessPass');
  const slot = await limiter.reserve(actor.id).catch(async (err: unknown) => {
    await release(deps, turn);
    throw err;
  });
  const giveBack = async (text?: string, change: Partial<Ticket> = {}) => {
    await release(deps, turn, text, change);
    if (slot) await limiter.release(actor.id, slot);
  };
  if (!slot) {
    await giveBack();
    return refused(
      'rate-limit',
      `You have issued ${settings.tapMaxPerHour} passes in the last hour, the most allowed. Ask a colleague, or wait.`,
    );
  }
  let standing: Standing;
  let callback: string | null;
  try {
    const [live, profile] = await Promise.all([
      liveStanding(directory, settings.groups, ticket.requester.id),
      directory.getUser(ticket.requester.id).catch(() => undefined),
    ]);
    standing = live;
    callback = profile?.businessPhones[0] ?? profile?.mobilePhone ?? null;
  } catch (err) {
    await giveBack();
    const why = isDirectoryError(err, 'forbidden')
      ? ' I am not allowed to read role assignments: IT needs to check my permissions (RoleManagement.Read.Directory).'
      : '';
    return refused(
      'standing-unknown',
      `I couldn't check right now whether ${ticket.requester.name} holds an admin role or is in a privileged group, so no pass was issued.${why} Try again in a few minutes, or recover the account in the Microsoft Entra admin center.`,
    );
  }
  if (standing.adminRole) {
    await giveBack(
      ticket.adminRole
        ? undefined
        : 'Holds or can activate a Microsoft Entra admin role: no pass from Teams',
      { adminRole: true },
    );
    return refused('entra-admin', BLOCKER_TEXT['entra-admin']);
  }
  if (standing.privileged && !ticket.verification?.confirmedBy) {
    await giveBack(
      ticket.privileged
        ? undefined
        : 'Now in a privileged group: a second person must confirm the identity check',
      { privileged: true, standingUnknown: undefined },
    );
    return refused('needs-second', BLOCKER_TEXT['needs-second']);
  }

  let pass: Awaited<ReturnType<typeof directory.createTemporaryAccessPass>>;
  try {
    pass = await directory.createTemporaryAccessPass(ticket.requester.id, {
      lifetimeInMinutes: settings.tapLifetimeMinutes,
      isUsableOnce: true,
    });
  } catch (err) {
    await giveBack('Issuing a pass failed');
    await turn.audit({
      action: 'graph.createTemporaryAccessPass',
      target: ticket.requester.id,
      outcome: 'failed',
      reason: isDirectoryError(err) ? err.kind : 'error',
    });
    return {
      kind: 'card',
      card: await deps.board.itCard(
        (await deps.tickets.get(ticket.id))?.value ?? ticket,
        directoryFailure(err),
      ),
    };
  }
  if (!pass.isUsable) {
    await limiter.release(actor.id, slot);
    return unusablePass(deps, turn, pass.id, pass.methodUsabilityReason);
  }

  const issuedAt = pass.startDateTime ?? now.toISOString();
  const expiresAt = new Date(Date.parse(issuedAt) + pass.lifetimeInMinutes * MINUTE).toISOString();
  const earlier = livePass(ticket, now);
  let closedMeanwhile = false;
  const after = await record(deps, turn, (current) => {
    if (current.status === 'resolved' || current.status === 'withdrawn') {
      closedMeanwhile = true;
      return {
        ticket: current,
        text: `The request was ${current.status} while a pass was being created, so the pass was deleted at once`,
      };
    }
    return {
      ticket: {
        ...assignIfNobody(current, actor),
        status: 'assigned',
        verification: undefined,
        pass: { issuedAt, expiresAt, by: actor, methodId: pass.id },
        passesIssued: (current.passesIssued ?? 0) + 1,
        ...(settledLive ? { privileged: false, standingUnknown: undefined } : {}),
      },
      text: `${actor.name} issued a one-time Temporary Access Pass (expires ${clock(expiresAt, deps.settings.timeZone)})${earlier ? '; the earlier pass no longer works' : ''}`,
    };
  });
  if (closedMeanwhile) {
    await deletePass(deps, turn, pass.id, 'closed-meanwhile');
    return changed(after, {
      notice: `The request was ${after.status} while the pass was being created, so I deleted the pass. Nothing needs to be given to anyone.`,
    });
  }
  await turn.audit({
    action: 'graph.createTemporaryAccessPass',
    target: ticket.requester.id,
    outcome: 'success',
    graphRequestId: pass.requestId,
    details: {
      lifetimeInMinutes: pass.lifetimeInMinutes,
      isUsableOnce: pass.isUsableOnce,
      replacedEarlier: Boolean(earlier),
    },
  });
  const replaced = earlier
    ? ` It replaces the pass issued at ${clock(earlier.issuedAt, deps.settings.timeZone)}, which no longer works.`
    : '';
  return changed(after, {
    privateCard: passCard(
      after,
      {
        code: pass.temporaryAccessPass,
        expiresAt,
        lifetime: pass.lifetimeInMinutes,
        replaced: earlier ? clock(earlier.issuedAt, deps.settings.timeZone) : undefined,
      },
      callback,
      deps.settings.timeZone,
    ),
    followUp: {
      announce: `🔑 ${actor.name} issued a one-time Temporary Access Pass for ${ticket.requester.name} at ${clock(issuedAt, deps.settings.timeZone)}. It expires at ${clock(expiresAt, deps.settings.timeZone)}.${replaced} The code was shown only to ${actor.name}.`,
      requester: {
        text: `IT created a one-time pass so you can set up your new phone. IT will give it to you by phone callback or in person, never in chat. It expires at ${clock(expiresAt, deps.settings.timeZone)}.`,
        email: true,
      },
    },
  });
}

/** Graph made a pass the sign-in page will refuse (the person is outside the pass policy). */
async function unusablePass(
  deps: TicketDeps,
  turn: TicketTurn,
  methodId: string,
  reason: string | null,
): Promise<Outcome> {
  const deleted = await deletePass(deps, turn, methodId, reason ?? 'unusable');
  await release(
    deps,
    turn,
    `Microsoft 365 made a pass that cannot be used (${reason ?? 'no reason given'}); ${deleted ? 'it was deleted' : 'deleting it failed'}`,
  );
  const fix =
    reason === 'DisabledByPolicy'
      ? `The Temporary Access Pass policy does not include ${turn.ticket.requester.name}. In the Microsoft Entra admin center, open Protection > Authentication methods > Temporary Access Pass, add them (or a group they are in) under "Enable and target", then try again.`
      : 'Check the Temporary Access Pass policy in the Microsoft Entra admin center (Protection > Authentication methods), then try again.';
  return refused(
    'pass-unusable',
    `Microsoft 365 created a pass but says it can't be used (${reason ?? 'no reason given'}), so ${deleted ? 'I deleted it' : 'I tried to delete it'} and nothing was given out. ${fix}`,
  );
}

async function deletePass(
  deps: TicketDeps,
  turn: TicketTurn,
  methodId: string,
  reason: string,
): Promise<boolean> {
  try {
    const receipt = await deps.directory.deleteTemporaryAccessPass(
      turn.ticket.requester.id,
      methodId,
    );
    await turn.audit({
      action: 'graph.deleteTemporaryAccessPass',
      target: turn.ticket.requester.id,
      outcome: 'success',
      reason,
      graphRequestId: receipt.requestId,
    });
    return true;
  } catch (err) {
    deps.logger.error(
      { err: String((err as Error).message ?? err), ticket: turn.ticket.id },
      'could not delete a pass that must not be used',
    );
    await turn.audit({
      action: 'graph.deleteTemporaryAccessPass',
      target: turn.ticket.requester.id,
      outcome: 'failed',
      reason: isDirectoryError(err) ? err.kind : 'error',
    });
    return false;
  }
}
