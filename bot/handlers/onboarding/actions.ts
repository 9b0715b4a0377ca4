import { z } from 'zod';
import { VERBS } from '../../../cards/verbs';
import type { CardJson } from '../../../cards/render';
import { DAY } from '../../../services/clock';
import { isSecondFactor } from '../../../services/directory/method-names';
import { isDirectoryError, type AuthenticatorDevice } from '../../../services/directory/types';
import { STEP_IDS, type StepId } from '../../../services/onboarding/content';
import type { OnboardingProgress } from '../../../services/onboarding/progress';
import type { TicketKind } from '../../../services/tickets/model';
import type { ActionContext, ActionDef } from '../../actions';
import { messageCard } from '../../replies';
import { alternativesCard, doneCard, stepCard, stuckCard, type Person } from './view';

export const REMINDER_JOB = 'onboarding.reminder';

const StepData = z.object({ step: z.enum(STEP_IDS).optional() }).loose();
const SnoozeData = z.object({ step: z.enum(STEP_IDS).optional(), days: z.union([z.literal(1), z.literal(3)]) }).loose();

const STALE = 'That card was out of date. Here is where you are now.';

/** Who the walkthrough is talking to: first name, role groups, job title. */
async function personOf(ctx: ActionContext): Promise<Person> {
  const { directory, config, logger } = ctx.services;
  const fallback = ctx.caller.name.split(/\s+/)[0] || 'there';
  try {
    const [profile, groups] = await Promise.all([
      directory.getUser(ctx.caller.aadObjectId),
      directory.memberGroups(ctx.caller.aadObjectId, Object.values(config.groups.roles)),
    ]);
    const roles = Object.entries(config.groups.roles)
      .filter(([, id]) => groups.includes(id))
      .map(([name]) => name);
    return { firstName: profile.givenName ?? fallback, roles, jobTitle: profile.jobTitle };
  } catch (err) {
    logger.debug({ err }, 'no profile for the walkthrough; using the Teams name');
    return { firstName: fallback, roles: [], jobTitle: null };
  }
}

function canSnooze(ctx: ActionContext, p: OnboardingProgress): boolean {
  return p.snoozes < ctx.services.config.onboardingMaxSnoozes;
}

function fresh(userId: string, now: string): OnboardingProgress {
  return { userId, step: 'why', startedAt: now, updatedAt: now, snoozes: 0, checks: 0 };
}

async function load(ctx: ActionContext) {
  return ctx.services.onboarding.progress.get(ctx.caller.aadObjectId);
}

/** The Authenticator registrations Microsoft 365 has right now (the per-user list is live). */
async function liveDevices(ctx: ActionContext): Promise<AuthenticatorDevice[]> {
  return ctx.services.directory.authenticatorDevices(ctx.caller.aadObjectId);
}

async function hasBackup(ctx: ActionContext): Promise<boolean> {
  try {
    const methods = await ctx.services.directory.authMethods(ctx.caller.aadObjectId);
    return methods.filter(isSecondFactor).length > 1;
  } catch {
    return false;
  }
}

async function complete(ctx: ActionContext, p: OnboardingProgress, etag: string | undefined, devices: AuthenticatorDevice[], already: boolean): Promise<CardJson> {
  const { onboarding, clock } = ctx.services;
  if (!p.completedAt) {
    await onboarding.progress.save({ ...p, completedAt: clock.now().toISOString(), checks: 0 }, etag);
    await onboarding.progress.record(p.userId, 'completed', p.step);
    await ctx.services.scheduler.cancel(reminderId(p.userId));
  }
  const person = await personOf(ctx);
  return doneCard(person.firstName, devices, already, await hasBackup(ctx));
}

function reminderId(userId: string): string {
  return `onboarding-reminder:${userId}`;
}

/** Start or resume: where they left off, or "already set up" when Authenticator is there. */
const start: ActionDef<typeof StepData> = {
  verb: VERBS.setupStart,
  schema: StepData,
  async run(ctx) {
    const { onboarding, clock } = ctx.services;
    const stored = await load(ctx);
    const devices = await liveDevices(ctx);
    const now = clock.now().toISOString();
    if (devices.length > 0) {
      const p = stored?.value ?? { ...fresh(ctx.caller.aadObjectId, now) };
      return complete(ctx, p, stored?.etag, devices, !stored || Boolean(stored.value.completedAt));
    }
    if (!stored || stored.value.completedAt) {
      // New, or registered once and since removed (a lost phone): start again.
      const p = fresh(ctx.caller.aadObjectId, now);
      await onboarding.progress.save(p, stored?.etag);
      await onboarding.progress.record(p.userId, 'started', 'why');
      return stepCard(onboarding.content, 'why', await personOf(ctx), { canSnooze: true });
    }
    const p = stored.value;
    const resumed = ctx.source === 'text' || p.step !== 'why' ? `Welcome back! You were at step "${titleOf(ctx, p.step)}".` : undefined;
    return stepCard(onboarding.content, p.step, await personOf(ctx), {
      notice: resumed,
      canSnooze: canSnooze(ctx, p),
      checks: p.checks,
    });
  },
};

function titleOf(ctx: ActionContext, step: StepId): string {
  return ctx.services.onboarding.content.steps.find((s) => s.id === step)?.title ?? step;
}

/** Moves one step on, but only from the step the card was showing. */
const next: ActionDef<typeof StepData> = {
  verb: VERBS.setupNext,
  schema: StepData,
  async run(ctx, data) {
    const { onboarding } = ctx.services;
    const stored = await load(ctx);
    if (!stored) return start.run(ctx, {});
    const p = stored.value;
    if (p.completedAt) return allSet(ctx);
    if (data.step !== p.step) {
      return stepCard(onboarding.content, p.step, await personOf(ctx), { notice: STALE, canSnooze: canSnooze(ctx, p), checks: p.checks });
    }
    const to = STEP_IDS[Math.min(STEP_IDS.indexOf(p.step) + 1, STEP_IDS.length - 1)];
    const moved = { ...p, step: to, checks: 0 };
    const etag = await onboarding.progress.save(moved, stored.etag);
    await onboarding.progress.record(p.userId, 'step', to);
    if (to === 'verify') return verify(ctx, moved, etag);
    return stepCard(onboarding.content, to, await personOf(ctx), { canSnooze: canSnooze(ctx, moved) });
  },
};

async function allSet(_ctx: ActionContext): Promise<CardJson> {
  return messageCard("You're all set", 'You already finished setting up Microsoft Authenticator. Nothing more to do.');
}

/** Asks the directory whether Authenticator is registered now; keeps the step if it can't tell. */
async function verify(ctx: ActionContext, p: OnboardingProgress, etag: string): Promise<CardJson> {
  const { onboarding } = ctx.services;
  let devices: AuthenticatorDevice[];
  try {
    devices = await liveDevices(ctx);
  } catch (err) {
    if (!isDirectoryError(err)) throw err;
    ctx.services.logger.warn({ err: { kind: err.kind } }, 'verification check failed');
    const offline = { firstName: ctx.caller.name.split(/\s+/)[0] || 'there', roles: [], jobTitle: null };
    return stepCard(onboarding.content, 'verify', offline, {
      notice: "I can't check with Microsoft 365 right now. Your progress is saved. Please try again in a few minutes.",
      canSnooze: canSnooze(ctx, p),
      checks: p.checks,
    });
  }
  if (devices.length > 0) return complete(ctx, p, etag, devices, false);
  const failed = { ...p, checks: p.checks + 1 };
  await onboarding.progress.save(failed, etag);
  await onboarding.progress.record(p.userId, 'check-failed', 'verify');
  return stepCard(onboarding.content, 'verify', await personOf(ctx), { canSnooze: canSnooze(ctx, failed), checks: failed.checks });
}

const check: ActionDef<typeof StepData> = {
  verb: VERBS.setupCheck,
  schema: StepData,
  async run(ctx) {
    const stored = await load(ctx);
    if (!stored) return start.run(ctx, {});
    if (stored.value.completedAt) return allSet(ctx);
    return verify(ctx, stored.value, stored.etag);
  },
};

const stuck: ActionDef<typeof StepData> = {
  verb: VERBS.setupStuck,
  schema: StepData,
  async run(ctx, data) {
    const { onboarding, kb } = ctx.services;
    const stored = await load(ctx);
    const step = stored?.value.step ?? data.step ?? 'why';
    await onboarding.progress.record(ctx.caller.aadObjectId, 'stuck', step);
    const ids = onboarding.content.steps.find((s) => s.id === step)!.stuck;
    return stuckCard(kb, ids, step);
  },
};

const snooze: ActionDef<typeof SnoozeData> = {
  verb: VERBS.setupSnooze,
  schema: SnoozeData,
  async run(ctx, data) {
    const { onboarding, scheduler, clock, config } = ctx.services;
    const stored = await load(ctx);
    if (!stored) return start.run(ctx, {});
    const p = stored.value;
    if (p.completedAt) return allSet(ctx);
    if (p.snoozes >= config.onboardingMaxSnoozes) {
      return stepCard(onboarding.content, p.step, await personOf(ctx), {
        notice: "You've put this off a few times already. It only takes about five minutes: let's do it now, or ask IT for help.",
        canSnooze: false,
        checks: p.checks,
      });
    }
    const due = new Date(clock.now().getTime() + data.days * DAY);
    await scheduler.schedule(REMINDER_JOB, due, { userId: p.userId }, reminderId(p.userId));
    await onboarding.progress.save({ ...p, snoozes: p.snoozes + 1 }, stored.etag);
    await onboarding.progress.record(p.userId, 'snoozed', p.step);
    const when = data.days === 1 ? 'tomorrow' : 'in 3 days';
    return messageCard('Reminder set', `OK, I'll remind you ${when}. You'll pick up right where you left off.`);
  },
};

const alternatives: ActionDef<typeof StepData> = {
  verb: VERBS.setupAlternatives,
  schema: StepData,
  async run(ctx) {
    const stored = await load(ctx);
    return alternativesCard(stored?.value.step ?? 'why');
  },
};

/** Opens an IT request of a kind (or joins the open one) and says its number. */
function itRequest(verb: (typeof VERBS)[keyof typeof VERBS], kind: TicketKind, what: string): ActionDef<typeof StepData> {
  return {
    verb,
    schema: StepData,
    async run(ctx, data) {
      const ticket = await ctx.services.requests.open(ctx.caller, kind, { step: data.step ?? 'unknown', source: 'onboarding' });
      if (kind === 'help' || kind === 'hardware-token') {
        await ctx.services.onboarding.progress.record(ctx.caller.aadObjectId, 'asked-it', data.step ?? 'why');
      }
      return messageCard(
        `Request ${ticket.id} sent to IT`,
        `${what} IT will contact you. To keep your account safe they will confirm it's you by calling the number the practice has on file or meeting in person. They will never ask for your password or a code in chat.`,
      );
    },
  };
}

export function onboardingActions(): ActionDef[] {
  return [
    start,
    next,
    check,
    stuck,
    snooze,
    alternatives,
    itRequest(VERBS.setupRequestToken, 'hardware-token', 'I asked IT for a hardware token for you.'),
    itRequest(VERBS.setupRequestPass, 'first-time-pass', 'I asked IT for a one-time pass so you can sign in and set up.'),
    itRequest(VERBS.setupAskIt, 'help', 'I asked IT to help you finish setting up.'),
  ] as ActionDef[];
}
