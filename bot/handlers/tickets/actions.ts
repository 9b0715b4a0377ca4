import { z } from 'zod';
import { expandCard } from '../../../cards/render';
import { VERBS } from '../../../cards/verbs';
import { HOUR, MINUTE } from '../../../services/clock';
import { isDirectoryError } from '../../../services/directory/types';
import { screenText } from '../../../services/guard/guard';
import { KIND_LABELS, TICKET_ID_PATTERN, type Ticket } from '../../../services/tickets/model';
import type { ActionContext, ActionDef } from '../../actions';
import { directoryTrouble } from '../../actions';
import { age } from './view';
import { passBlocker, passCard, VERIFY_BY } from './view';
import { withTicket, type Loaded, type Outcome } from './guard';
import { notifyRequester } from './notify';

const Ticketed = z.object({ ticketId: z.string().regex(TICKET_ID_PATTERN), v: z.coerce.number().int().positive().optional() }).loose();
const Verify = Ticketed.extend({ method: z.enum(['callback', 'in-person', 'manager']), note: z.string().max(140).optional() });
const Remove = Ticketed.extend({ deviceId: z.string().min(1).max(100) });
const Resolve = Ticketed.extend({ reason: z.enum(['recovered', 'found', 'fulfilled', 'not-needed']) });

const RESOLUTIONS: Record<z.infer<typeof Resolve>['reason'], string> = {
  recovered: 'Recovered: new phone set up',
  found: 'Phone found',
  fulfilled: 'Request fulfilled',
  'not-needed': 'Duplicate or not needed',
};

const changed = (_l: Loaded, r: { ticket: Ticket; etag: string }, extra: Partial<Extract<Outcome, { kind: 'changed' }>> = {}): Outcome => ({
  kind: 'changed',
  ticket: r.ticket,
  etag: r.etag,
  ...extra,
});

/** Claims the ticket for a directory action, so concurrent clicks cause one effect only. */
async function claim(ctx: ActionContext, l: Loaded, action: string) {
  const at = ctx.services.clock.now().toISOString();
  return ctx.services.tickets.update({ ...l.ticket, pending: { action, by: l.actor, at } }, l.etag, l.actor);
}

async function release(ctx: ActionContext, l: Loaded, claimed: { ticket: Ticket; etag: string }, text: string) {
  return ctx.services.tickets.update({ ...claimed.ticket, pending: undefined }, claimed.etag, l.actor, text);
}

/**
 * Claims the ticket, makes one directory call, and on failure releases the claim with a timeline
 * note, audits the failure and answers with the current card: the caller only handles success.
 */
async function directoryEffect<R>(
  ctx: ActionContext,
  l: Loaded,
  action: string,
  call: () => Promise<R>,
  failedText: string,
): Promise<{ ok: true; result: R; claimed: { ticket: Ticket; etag: string } } | { ok: false; outcome: Outcome }> {
  const claimed = await claim(ctx, l, action);
  try {
    return { ok: true, result: await call(), claimed };
  } catch (err) {
    const r = await release(ctx, l, claimed, failedText);
    await ctx.services.audit.append({
      actor: l.actor.id,
      action: `graph.${action}`,
      target: l.ticket.requester.id,
      outcome: 'failed',
      reason: isDirectoryError(err) ? err.kind : 'error',
      activityId: ctx.turn.activity.id,
    });
    return { ok: false, outcome: { kind: 'card', card: await ctx.services.escalations.card(r.ticket, directoryFailure(err)) } };
  }
}

function assignIfNobody(t: Ticket, l: Loaded): Ticket {
  return t.assignee ? t : { ...t, assignee: l.actor, status: t.status === 'open' ? 'assigned' : t.status };
}

const list: ActionDef = {
  verb: VERBS.itTickets,
  schema: z.object({}).loose(),
  async run(ctx) {
    const open = await ctx.services.tickets.listOpen();
    const now = ctx.services.clock.now();
    return expandCard('tickets-list', {
      count: open.length,
      tickets: open.map((t) => ({
        id: t.id,
        urgent: t.privileged || t.adminRole,
        title: `${t.id} · ${KIND_LABELS[t.kind]}${t.privileged || t.adminRole ? ' · URGENT' : ''}`,
        subtitle: `${t.requester.name} · ${t.status} · ${t.assignee ? `with ${t.assignee.name}` : 'unassigned'} · ${age(t.createdAt, now)}`,
      })),
    });
  },
};

const view: ActionDef<typeof Ticketed> = {
  verb: VERBS.ticketView,
  schema: Ticketed,
  run: (ctx, data) => withTicket(ctx, VERBS.ticketView, { ticketId: data.ticketId }, async (l) => ({ kind: 'card', card: await ctx.services.escalations.card(l.ticket) })),
};

const assign: ActionDef<typeof Ticketed> = {
  verb: VERBS.ticketAssign,
  schema: Ticketed,
  run: (ctx, data) =>
    withTicket(ctx, VERBS.ticketAssign, data, async (l) => {
      const t: Ticket = { ...l.ticket, assignee: l.actor, status: l.ticket.status === 'open' ? 'assigned' : l.ticket.status };
      const r = await ctx.services.tickets.update(t, l.etag, l.actor, `${l.actor.name} took this ticket`);
      await notifyRequester(ctx, r.ticket, `${l.actor.name} from IT is handling your request ${t.id}.`, false);
      return changed(l, r);
    }),
};

const verify: ActionDef<typeof Verify> = {
  verb: VERBS.ticketVerify,
  schema: Verify,
  run: (ctx, data) =>
    withTicket(ctx, VERBS.ticketVerify, data, async (l) => {
      const note = data.note?.trim();
      if (note && screenText(note).verdict === 'sensitive') {
        return { kind: 'card', card: await ctx.services.escalations.card(l.ticket, "That note looks like it holds a code, password or patient detail, so it wasn't saved. Please record the check without it.") };
      }
      const at = ctx.services.clock.now().toISOString();
      const t: Ticket = {
        ...assignIfNobody(l.ticket, l),
        status: 'verified',
        verification: { method: data.method, note: note || undefined, by: l.actor, at },
      };
      const second = t.privileged ? ' A second person must confirm it before a pass can be issued.' : '';
      const r = await ctx.services.tickets.update(t, l.etag, l.actor, `${l.actor.name} confirmed identity: ${VERIFY_BY[data.method]}.${second}`);
      return changed(l, r);
    }),
};

const confirm: ActionDef<typeof Ticketed> = {
  verb: VERBS.ticketConfirm,
  schema: Ticketed,
  run: (ctx, data) =>
    withTicket(
      ctx,
      VERBS.ticketConfirm,
      data,
      async (l) => {
        const v = l.ticket.verification;
        if (!v) return { kind: 'card', card: await ctx.services.escalations.card(l.ticket, 'There is no identity check to confirm yet.') };
        if (v.by.id === l.actor.id) {
          await ctx.services.audit.append({ actor: l.actor.id, action: VERBS.ticketConfirm, target: l.ticket.id, outcome: 'refused', reason: 'same-person', activityId: ctx.turn.activity.id });
          return { kind: 'card', card: await ctx.services.escalations.card(l.ticket, 'You recorded this check yourself. A different person has to confirm it.') };
        }
        const t: Ticket = { ...l.ticket, verification: { ...v, confirmedBy: l.actor, confirmedAt: ctx.services.clock.now().toISOString() } };
        const r = await ctx.services.tickets.update(t, l.etag, l.actor, `${l.actor.name} confirmed the identity check (second person)`);
        return changed(l, r);
      },
      { extraRoles: ctx.services.config.secondVerifierMayBeAdmin ? ['admin'] : [] },
    ),
};

const revoke: ActionDef<typeof Ticketed> = {
  verb: VERBS.ticketRevoke,
  schema: Ticketed,
  run: (ctx, data) =>
    withTicket(ctx, VERBS.ticketRevoke, data, async (l) => {
      const done = await directoryEffect(ctx, l, 'revokeSignInSessions', () => ctx.services.directory.revokeSessions(l.ticket.requester.id), 'Signing out failed');
      if (!done.ok) return done.outcome;
      const { claimed } = done;
      const requestId = done.result.requestId;
      const t = assignIfNobody({ ...claimed.ticket, pending: undefined, sessionsRevokedAt: ctx.services.clock.now().toISOString() }, l);
      const r = await ctx.services.tickets.update(t, claimed.etag, l.actor, `${l.actor.name} signed ${l.ticket.requester.name} out of every session`);
      await ctx.services.audit.append({ actor: l.actor.id, action: 'graph.revokeSignInSessions', target: l.ticket.requester.id, outcome: 'success', graphRequestId: requestId, activityId: ctx.turn.activity.id });
      await notifyRequester(ctx, r.ticket, 'IT signed your account out everywhere. Sign in again on your devices; it may take a few minutes to take effect.', true);
      return changed(l, r, { notice: 'Signed out everywhere. It can take a few minutes, and existing access tokens last up to an hour.' });
    }),
};

const removeDevice: ActionDef<typeof Remove> = {
  verb: VERBS.ticketRemoveDevice,
  schema: Remove,
  run: (ctx, data) =>
    withTicket(ctx, VERBS.ticketRemoveDevice, data, async (l) => {
      const { directory } = ctx.services;
      const devices = await directory.authenticatorDevices(l.ticket.requester.id);
      const device = devices.find((d) => d.id === data.deviceId);
      if (!device) {
        return { kind: 'card', card: await ctx.services.escalations.card(l.ticket, 'That device is no longer on their account. Here is the current list.') };
      }
      const done = await directoryEffect(ctx, l, 'removeAuthenticator', () => directory.removeAuthenticator(l.ticket.requester.id, device.id), `Removing ${device.displayName ?? 'the device'} failed`);
      if (!done.ok) return done.outcome;
      const { claimed } = done;
      const requestId = done.result.requestId;
      const name = device.displayName ?? 'Authenticator device';
      const t = assignIfNobody({ ...claimed.ticket, pending: undefined, removedDevices: [...(claimed.ticket.removedDevices ?? []), name] }, l);
      const r = await ctx.services.tickets.update(t, claimed.etag, l.actor, `${l.actor.name} removed Authenticator on "${name}"`);
      await ctx.services.audit.append({ actor: l.actor.id, action: 'graph.removeAuthenticator', target: l.ticket.requester.id, outcome: 'success', graphRequestId: requestId, details: { device: name }, activityId: ctx.turn.activity.id });
      await notifyRequester(ctx, r.ticket, `IT removed Microsoft Authenticator on "${name}" from your account, so that phone can no longer approve sign-ins.`, true);
      return changed(l, r);
    }),
};

const issuePass: ActionDef<typeof Ticketed> = {
  verb: VERBS.ticketIssuePass,
  schema: Ticketed,
  run: (ctx, data) =>
    withTicket(ctx, VERBS.ticketIssuePass, data, async (l) => {
      const { directory, config, clock, audit, tapLimiter } = ctx.services;
      const refuse = async (reason: string, text: string) => {
        await audit.append({ actor: l.actor.id, action: VERBS.ticketIssuePass, target: l.ticket.id, outcome: 'refused', reason, activityId: ctx.turn.activity.id });
        return { kind: 'card' as const, card: await ctx.services.escalations.card(l.ticket, text) };
      };
      const blocker = passBlocker(l.ticket);
      if (blocker) return refuse('not-ready', blocker);
      const registration = await directory.registrationFor(l.ticket.requester.id).catch(() => undefined);
      if (registration?.isAdmin) {
        return refuse('entra-admin', 'This person holds a Microsoft Entra admin role. Recover their account in the Microsoft Entra admin center, not from Teams.');
      }
      if (!(await tapLimiter.allow(l.actor.id))) {
        return refuse('rate-limit', `You have issued ${config.tapMaxPerHour} passes in the last hour, the most allowed. Ask a colleague, or wait.`);
      }
      const done = await directoryEffect(
        ctx,
        l,
        'createTemporaryAccessPass',
        () => directory.createTemporaryAccessPass(l.ticket.requester.id, { lifetimeInMinutes: config.tapLifetimeMinutes, isUsableOnce: true }),
        'Issuing a pass failed',
      );
      if (!done.ok) return done.outcome;
      const { claimed, result: pass } = done;
      await tapLimiter.record(l.actor.id);
      const issuedAt = pass.startDateTime ?? clock.now().toISOString();
      const expiresAt = new Date(Date.parse(issuedAt) + pass.lifetimeInMinutes * MINUTE).toISOString();
      const t = assignIfNobody({ ...claimed.ticket, pending: undefined, pass: { issuedAt, expiresAt, by: l.actor } }, l);
      const r = await ctx.services.tickets.update(t, claimed.etag, l.actor, `${l.actor.name} issued a one-time Temporary Access Pass (expires ${expiresAt.slice(11, 16)} UTC)`);
      await audit.append({ actor: l.actor.id, action: 'graph.createTemporaryAccessPass', target: l.ticket.requester.id, outcome: 'success', graphRequestId: pass.requestId, details: { lifetimeInMinutes: pass.lifetimeInMinutes, isUsableOnce: pass.isUsableOnce }, activityId: ctx.turn.activity.id });
      await notifyRequester(ctx, r.ticket, `IT created a one-time pass so you can set up your new phone. IT will give it to you by phone callback or in person, never in chat. It expires at ${expiresAt.slice(11, 16)} UTC.`, true);
      const facts = await ctx.services.escalations.facts(r.ticket);
      return changed(l, r, {
        announce: `🔑 ${l.actor.name} issued a one-time Temporary Access Pass for ${l.ticket.requester.name} at ${issuedAt.slice(11, 16)} UTC. It expires at ${expiresAt.slice(11, 16)} UTC. The code was shown only to ${l.actor.name}.`,
        privateCard: passCard(r.ticket, pass.temporaryAccessPass, expiresAt, pass.lifetimeInMinutes, facts?.callbackNumber ?? null),
      });
    }),
};

const passGiven: ActionDef<typeof Ticketed> = {
  verb: VERBS.ticketPassGiven,
  schema: Ticketed,
  run: (ctx, data) => withTicket(ctx, VERBS.ticketPassGiven, { ticketId: data.ticketId }, async (l) => ({ kind: 'card', card: await ctx.services.escalations.card(l.ticket, 'Thanks. The pass is no longer shown anywhere.') })),
};

const resolve: ActionDef<typeof Resolve> = {
  verb: VERBS.ticketResolve,
  schema: Resolve,
  run: (ctx, data) =>
    withTicket(ctx, VERBS.ticketResolve, data, async (l) => {
      const t: Ticket = { ...assignIfNobody(l.ticket, l), status: 'resolved', resolution: RESOLUTIONS[data.reason] };
      const r = await ctx.services.tickets.update(t, l.etag, l.actor, `${l.actor.name} resolved it: ${RESOLUTIONS[data.reason]}`);
      await notifyRequester(ctx, r.ticket, `Your request ${t.id} is resolved: ${RESOLUTIONS[data.reason]}.`, false);
      return changed(l, r);
    }),
};

const reopen: ActionDef<typeof Ticketed> = {
  verb: VERBS.ticketReopen,
  schema: Ticketed,
  run: (ctx, data) =>
    withTicket(ctx, VERBS.ticketReopen, data, async (l) => {
      if (l.ticket.status !== 'resolved') return { kind: 'card', card: await ctx.services.escalations.card(l.ticket, 'Only resolved tickets can be reopened.') };
      const t: Ticket = { ...l.ticket, status: 'assigned', assignee: l.ticket.assignee ?? l.actor, resolution: undefined };
      const r = await ctx.services.tickets.update(t, l.etag, l.actor, `${l.actor.name} reopened it`);
      await notifyRequester(ctx, r.ticket, `IT reopened your request ${t.id}.`, false);
      return changed(l, r);
    }),
};

function directoryFailure(err: unknown): string {
  if (isDirectoryError(err)) {
    if (err.kind === 'invalid-request') return `Microsoft 365 refused that: ${err.message}. Nothing was changed.`;
    return directoryTrouble(err.kind);
  }
  return 'That did not work. Nothing was changed. Please try again.';
}

export const TAP_WINDOW_MS = HOUR;

export function ticketActions(): ActionDef[] {
  return [list, view, assign, verify, confirm, revoke, removeDevice, issuePass, passGiven, resolve, reopen] as ActionDef[];
}
