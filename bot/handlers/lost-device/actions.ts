import { z } from 'zod';
import { VERBS } from '../../../cards/verbs';
import { screenText } from '../../../services/guard/guard';
import {
  requesterMayWithdraw,
  TICKET_ID_PATTERN,
  type Ticket,
} from '../../../services/tickets/model';
import { authorize } from '../../../services/authz/policy';
import type { CardJson } from '../../../cards/render';
import type { AuditLog } from '../../../services/audit/log';
import type { TicketStore } from '../../../services/tickets/store';
import type { ActionContext, ActionDef } from '../../actions';
import type { ItRequests } from '../../requests';
import type { TicketBoard } from '../tickets/board';
import { messageCard } from '../../replies';
import { intakeCard, lostStatusCard } from './view';

const Intake = z
  .object({
    happened: z.enum(['lost', 'stolen', 'broken', 'replaced', 'number-changed']),
    when: z.enum(['today', 'yesterday', 'this-week', 'longer']),
    hadWorkApps: z.enum(['yes', 'no', 'unsure']),
    verifyBy: z.enum(['callback', 'in-person', 'manager']),
    note: z.string().max(200).optional(),
  })
  .loose();
export interface LostDeviceDeps {
  tickets: TicketStore;
  requests: ItRequests;
  audit: AuditLog;
  board: TicketBoard;
  itPhone: string;
}

type LostDeviceTurn = ActionContext & { deps: LostDeviceDeps };

interface LostDeviceAction<S extends z.ZodType> {
  verb: ActionDef['verb'];
  schema: S;
  run(ctx: LostDeviceTurn, data: z.infer<S>): Promise<CardJson>;
}

const Ticketed = z.object({ ticketId: z.string().regex(TICKET_ID_PATTERN) }).loose();
/** Withdrawing changes the ticket: the click carries the version the requester's card showed. */
const Withdraw = Ticketed.extend({ v: z.coerce.number().int().positive() });

/** Only the requester sees or withdraws their request; anyone else gets the same plain refusal. */
async function ownTicket(
  ctx: LostDeviceTurn,
  verb: string,
  ticketId: string,
): Promise<{ ticket: Ticket; etag: string } | undefined> {
  const doc = await ctx.deps.tickets.get(ticketId);
  const decision = authorize(
    verb,
    { id: ctx.caller.aadObjectId, roles: new Set() },
    { requesterId: doc?.value.requester.id },
  );
  if (!doc || !decision.allowed) {
    await ctx.deps.audit.append({
      actor: ctx.caller.aadObjectId,
      action: verb,
      target: ticketId,
      outcome: 'denied',
      reason: doc ? 'not-requester' : 'unknown-ticket',
      activityId: ctx.turn.activity.id,
    });
    return undefined;
  }
  return { ticket: doc.value, etag: doc.etag };
}

const start: LostDeviceAction<z.ZodType> = {
  verb: VERBS.lostDevice,
  schema: z.object({}).loose(),
  async run(ctx) {
    const open = await ctx.deps.tickets.openFor(ctx.caller.aadObjectId, 'lost-device');
    if (open)
      return lostStatusCard(
        open,
        ctx.deps.itPhone,
        'You already reported this. Here is where it stands.',
      );
    return intakeCard();
  },
};

const submit: LostDeviceAction<typeof Intake> = {
  verb: VERBS.lostSubmit,
  schema: Intake,
  async run(ctx, data) {
    const note = data.note?.trim().slice(0, 200);
    if (note && screenText(note).verdict === 'sensitive') {
      return intakeCard(
        "Your note looks like it has a code, password or patient detail, so I didn't send anything. Please leave that out and send again.",
      );
    }
    const ticket = await ctx.deps.requests.open(ctx.caller, 'lost-device', {
      happened: data.happened,
      when: data.when,
      hadWorkApps: data.hadWorkApps,
      verifyBy: data.verifyBy,
      note: note || undefined,
    });
    const notice = ticket.joined
      ? `You already have request ${ticket.id} open, so I kept that one.`
      : `Sent to IT as request ${ticket.id}.`;
    const urgent =
      data.happened === 'stolen' || data.hadWorkApps === 'yes'
        ? ' If you can sign in on a computer, you can also remove the lost phone yourself at aka.ms/mysecurityinfo.'
        : '';
    return lostStatusCard(ticket, ctx.deps.itPhone, notice + urgent);
  },
};

const status: LostDeviceAction<typeof Ticketed> = {
  verb: VERBS.lostStatus,
  schema: Ticketed,
  async run(ctx, data) {
    const own = await ownTicket(ctx, VERBS.lostStatus, data.ticketId);
    if (!own) return messageCard('Not found', "I can't find that request for you.");
    return lostStatusCard(own.ticket, ctx.deps.itPhone);
  },
};

const withdraw: LostDeviceAction<typeof Withdraw> = {
  verb: VERBS.lostWithdraw,
  schema: Withdraw,
  async run(ctx, data) {
    const own = await ownTicket(ctx, VERBS.lostWithdraw, data.ticketId);
    if (!own) return messageCard('Not found', "I can't find that request for you.");
    const { itPhone } = ctx.deps;
    if (own.ticket.status === 'resolved' || own.ticket.status === 'withdrawn') {
      return lostStatusCard(own.ticket, itPhone, 'This request is already closed.');
    }
    if (!requesterMayWithdraw(own.ticket)) {
      await ctx.deps.audit.append({
        actor: ctx.caller.aadObjectId,
        action: VERBS.lostWithdraw,
        target: own.ticket.id,
        outcome: 'refused',
        reason: 'not-withdrawable',
        activityId: ctx.turn.activity.id,
      });
      return lostStatusCard(
        own.ticket,
        itPhone,
        `This request was opened because of sign-ins you may not have started, so only IT can close it. Questions? Call IT on ${itPhone}.`,
      );
    }
    if (own.ticket.version !== data.v) {
      return lostStatusCard(
        own.ticket,
        itPhone,
        'Here is where your request stands now. If you still want to withdraw it, select Withdraw request again.',
      );
    }
    const me = { id: ctx.caller.aadObjectId, name: own.ticket.requester.name };
    // Withdrawing ends any identity check too: nothing recorded before can lead to a pass later.
    const r = await ctx.deps.tickets.update(
      { ...own.ticket, status: 'withdrawn', verification: undefined },
      own.etag,
      me,
      `${me.name} withdrew the request`,
    );
    await ctx.deps.audit.append({
      actor: me.id,
      action: VERBS.lostWithdraw,
      target: r.ticket.id,
      outcome: 'success',
      activityId: ctx.turn.activity.id,
    });
    await ctx.deps.board.followUp({
      ticketId: r.ticket.id,
      announce: `${r.ticket.id} was withdrawn by ${me.name}. Nothing more should be done on it.`,
    });
    return lostStatusCard(r.ticket, itPhone, 'Withdrawn. Nothing more will happen.');
  },
};

/** The requester's side of a lost phone, each verb run with the turn and what it uses. */
export function lostDeviceActions(deps: LostDeviceDeps): ActionDef[] {
  const actions = [start, submit, status, withdraw] as Array<LostDeviceAction<z.ZodType>>;
  return actions.map((a) => ({ ...a, run: (ctx, data) => a.run({ ...ctx, deps }, data) }));
}
