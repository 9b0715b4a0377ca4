import { z } from 'zod';
import { VERBS } from '../../../cards/verbs';
import type { CardJson } from '../../../cards/render';
import { DAY, type Clock } from '../../../services/clock';
import { timeOfDay, type TimeZone } from '../../../services/time';
import { zoneOf } from '../../time-zone';
import { isSecondFactor } from '../../../services/directory/method-names';
import {
  isDirectoryError,
  type AuthenticatorDevice,
  type Directory,
} from '../../../services/directory/types';
import type { KnowledgeBase } from '../../../services/kb';
import type { Logger } from '../../../services/logger';
import type { Scheduler } from '../../../services/scheduler';
import type { ItRequests } from '../../requests';
import {
  STEP_IDS,
  type OnboardingContent,
  type StepId,
} from '../../../services/onboarding/content';
import type {
  OnboardingProgress,
  OnboardingProgressStore,
} from '../../../services/onboarding/progress';
import type { TicketKind } from '../../../services/tickets/model';
import type { ActionContext, ActionDef } from '../../actions';
import { messageCard } from '../../replies';
import { alternativesCard, doneCard, stepCard, stuckCard, type Person } from './view';

export const REMINDER_JOB = 'onboarding.reminder';

const StepData = z.object({ step: z.enum(STEP_IDS).optional() }).loose();
const SnoozeData = z
  .object({ step: z.enum(STEP_IDS).optional(), days: z.union([z.literal(1), z.literal(3)]) })
  .loose();

const STALE = 'That card was out of date. Here is where you are now.';

/** Where someone left off, as a person would say it when they come back. */
const RESUMING: Record<StepId, string> = {
  why: "Let's pick up where you left off.",
  install: 'You were about to install the app.',
  register: 'You were connecting the app to your work account.',
  approve: 'You were approving the test notification.',
  verify: "I'm checking your setup with Microsoft 365.",
};

export interface OnboardingDeps {
  onboarding: { content: OnboardingContent; progress: OnboardingProgressStore };
  directory: Directory;
  requests: ItRequests;
  kb: KnowledgeBase;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  settings: { roleGroups: Record<string, string>; maxSnoozes: number; timeZone: TimeZone };
}

type OnboardingTurn = ActionContext & { deps: OnboardingDeps };

interface OnboardingAction<S extends z.ZodType> {
  verb: ActionDef['verb'];
  schema: S;
  run(ctx: OnboardingTurn, data: z.infer<S>): Promise<CardJson>;
}

/** Who the walkthrough is talking to: first name, role groups, job title. */
async function personOf(ctx: OnboardingTurn): Promise<Person> {
  const { directory, settings, logger } = ctx.deps;
  const fallback = ctx.caller.name.split(/\s+/)[0] || 'there';
  try {
    const [profile, groups] = await Promise.all([
      directory.getUser(ctx.caller.aadObjectId),
      directory.memberGroups(ctx.caller.aadObjectId, Object.values(settings.roleGroups)),
    ]);
    const roles = Object.entries(settings.roleGroups)
      .filter(([, id]) => groups.includes(id))
      .map(([name]) => name);
    return { firstName: profile.givenName ?? fallback, roles, jobTitle: profile.jobTitle };
  } catch (err) {
    logger.debug({ err }, 'no profile for the walkthrough; using the Teams name');
    return { firstName: fallback, roles: [], jobTitle: null };
  }
}

function canSnooze(ctx: OnboardingTurn, p: OnboardingProgress): boolean {
  return p.snoozes < ctx.deps.settings.maxSnoozes;
}

function fresh(userId: string, now: string): OnboardingProgress {
  return { userId, step: 'why', startedAt: now, updatedAt: now, snoozes: 0, checks: 0 };
}

async function load(ctx: OnboardingTurn) {
  return ctx.deps.onboarding.progress.get(ctx.caller.aadObjectId);
}

/** The Authenticator registrations Microsoft 365 has right now (the per-user list is live). */
async function liveDevices(ctx: OnboardingTurn): Promise<AuthenticatorDevice[]> {
  return ctx.deps.directory.authenticatorDevices(ctx.caller.aadObjectId);
}

async function hasBackup(ctx: OnboardingTurn): Promise<boolean> {
  try {
    const methods = await ctx.deps.directory.authMethods(ctx.caller.aadObjectId);
    return methods.filter(isSecondFactor).length > 1;
  } catch {
    return false;
  }
}

async function complete(
  ctx: OnboardingTurn,
  p: OnboardingProgress,
  etag: string | undefined,
  devices: AuthenticatorDevice[],
  already: boolean,
): Promise<CardJson> {
  const { onboarding, clock } = ctx.deps;
  if (!p.completedAt) {
    await onboarding.progress.save(
      { ...p, completedAt: clock.now().toISOString(), checks: 0 },
      etag,
    );
    await onboarding.progress.record(p.userId, 'completed', p.step);
    await ctx.deps.scheduler.cancel(reminderId(p.userId));
  }
  const person = await personOf(ctx);
  return doneCard(person.firstName, devices, already, await hasBackup(ctx));
}

function reminderId(userId: string): string {
  return `onboarding-reminder:${userId}`;
}

/** Start or resume: where they left off, or "already set up" when Authenticator is there. */
const start: OnboardingAction<typeof StepData> = {
  verb: VERBS.setupStart,
  schema: StepData,
  async run(ctx) {
    const { onboarding, clock } = ctx.deps;
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
    const resumed =
      ctx.source === 'text' || p.step !== 'why' ? `Welcome back! ${RESUMING[p.step]}` : undefined;
    return stepCard(onboarding.content, p.step, await personOf(ctx), {
      notice: resumed,
      canSnooze: canSnooze(ctx, p),
      checks: p.checks,
    });
  },
};

/** Moves one step on, but only from the step the card was showing. */
const next: OnboardingAction<typeof StepData> = {
  verb: VERBS.setupNext,
  schema: StepData,
  async run(ctx, data) {
    const { onboarding } = ctx.deps;
    const stored = await load(ctx);
    if (!stored) return start.run(ctx, {});
    const p = stored.value;
    if (p.completedAt) return allSet(ctx);
    if (data.step !== p.step) {
      return stepCard(onboarding.content, p.step, await personOf(ctx), {
        notice: STALE,
        canSnooze: canSnooze(ctx, p),
        checks: p.checks,
      });
    }
    const to = STEP_IDS[Math.min(STEP_IDS.indexOf(p.step) + 1, STEP_IDS.length - 1)];
    const moved = { ...p, step: to, checks: 0 };
    const etag = await onboarding.progress.save(moved, stored.etag);
    await onboarding.progress.record(p.userId, 'step', to);
    if (to === 'verify') return verify(ctx, moved, etag);
    return stepCard(onboarding.content, to, await personOf(ctx), {
      canSnooze: canSnooze(ctx, moved),
    });
  },
};

async function allSet(_ctx: OnboardingTurn): Promise<CardJson> {
  return messageCard(
    "You're all set",
    'You already finished setting up Microsoft Authenticator. Nothing more to do.',
  );
}

/** Asks the directory whether Authenticator is registered now; keeps the step if it can't tell. */
async function verify(ctx: OnboardingTurn, p: OnboardingProgress, etag: string): Promise<CardJson> {
  const { onboarding } = ctx.deps;
  let devices: AuthenticatorDevice[];
  try {
    devices = await liveDevices(ctx);
  } catch (err) {
    if (!isDirectoryError(err)) throw err;
    ctx.deps.logger.warn({ err: { kind: err.kind } }, 'verification check failed');
    const offline = {
      firstName: ctx.caller.name.split(/\s+/)[0] || 'there',
      roles: [],
      jobTitle: null,
    };
    return stepCard(onboarding.content, 'verify', offline, {
      notice:
        "I can't check with Microsoft 365 right now. Your progress is saved. Please try again in a few minutes.",
      canSnooze: canSnooze(ctx, p),
      checks: p.checks,
    });
  }
  if (devices.length > 0) return complete(ctx, p, etag, devices, false);
  const failed = { ...p, checks: p.checks + 1 };
  await onboarding.progress.save(failed, etag);
  await onboarding.progress.record(p.userId, 'check-failed', 'verify');
  return stepCard(onboarding.content, 'verify', await personOf(ctx), {
    canSnooze: canSnooze(ctx, failed),
    checks: failed.checks,
    checkedAt: timeOfDay(
      ctx.deps.clock.now(),
      zoneOf(ctx.turn.activity, ctx.deps.settings.timeZone),
    ),
  });
}

const check: OnboardingAction<typeof StepData> = {
  verb: VERBS.setupCheck,
  schema: StepData,
  async run(ctx) {
    const stored = await load(ctx);
    if (!stored) return start.run(ctx, {});
    if (stored.value.completedAt) return allSet(ctx);
    return verify(ctx, stored.value, stored.etag);
  },
};

const stuck: OnboardingAction<typeof StepData> = {
  verb: VERBS.setupStuck,
  schema: StepData,
  async run(ctx, data) {
    const { onboarding, kb } = ctx.deps;
    const stored = await load(ctx);
    const step = stored?.value.step ?? data.step ?? 'why';
    await onboarding.progress.record(ctx.caller.aadObjectId, 'stuck', step);
    const ids = onboarding.content.steps.find((s) => s.id === step)!.stuck;
    return stuckCard(kb, ids, step);
  },
};

const snooze: OnboardingAction<typeof SnoozeData> = {
  verb: VERBS.setupSnooze,
  schema: SnoozeData,
  async run(ctx, data) {
    const { onboarding, scheduler, clock, settings } = ctx.deps;
    const stored = await load(ctx);
    if (!stored) return start.run(ctx, {});
    const p = stored.value;
    if (p.completedAt) return allSet(ctx);
    if (p.snoozes >= settings.maxSnoozes) {
      return stepCard(onboarding.content, p.step, await personOf(ctx), {
        notice:
          "You've put this off a few times already. It only takes about five minutes: let's do it now, or ask IT for help.",
        canSnooze: false,
        checks: p.checks,
      });
    }
    const due = new Date(clock.now().getTime() + data.days * DAY);
    await scheduler.schedule(REMINDER_JOB, due, { userId: p.userId }, reminderId(p.userId));
    await onboarding.progress.save({ ...p, snoozes: p.snoozes + 1 }, stored.etag);
    await onboarding.progress.record(p.userId, 'snoozed', p.step);
    const when = data.days === 1 ? 'tomorrow' : 'in 3 days';
    return messageCard(
      'Reminder set',
      `OK, I'll remind you ${when}. You'll pick up right where you left off.`,
    );
  },
};

const alternatives: OnboardingAction<typeof StepData> = {
  verb: VERBS.setupAlternatives,
  schema: StepData,
  async run(ctx) {
    const stored = await load(ctx);
    return alternativesCard(stored?.value.step ?? 'why');
  },
};

/** Opens an IT request of a kind (or joins the open one) and says its number. */
function itRequest(
  verb: (typeof VERBS)[keyof typeof VERBS],
  kind: TicketKind,
  what: string,
): OnboardingAction<typeof StepData> {
  return {
    verb,
    schema: StepData,
    async run(ctx, data) {
      const ticket = await ctx.deps.requests.open(ctx.caller, kind, {
        step: data.step ?? 'unknown',
        source: 'onboarding',
      });
      if (kind === 'help' || kind === 'hardware-token') {
        await ctx.deps.onboarding.progress.record(
          ctx.caller.aadObjectId,
          'asked-it',
          data.step ?? 'why',
        );
      }
      return messageCard(
        `Request ${ticket.id} sent to IT`,
        `${what} IT will contact you. To keep your account safe they will confirm it's you by calling the number the practice has on file or meeting in person. They will never ask for your password or a code in chat.`,
      );
    },
  };
}

/** The walkthrough's verbs, each run with the turn and what onboarding uses. */
export function onboardingActions(deps: OnboardingDeps): ActionDef[] {
  const actions: Array<OnboardingAction<z.ZodType>> = [
    start,
    next,
    check,
    stuck,
    snooze,
    alternatives,
    itRequest(
      VERBS.setupRequestToken,
      'hardware-token',
      'I asked IT for a hardware token for you.',
    ),
    itRequest(
      VERBS.setupRequestPass,
      'first-time-pass',
      'I asked IT for a one-time pass so you can sign in and set up.',
    ),
    itRequest(VERBS.setupAskIt, 'help', 'I asked IT to help you finish setting up.'),
  ] as Array<OnboardingAction<z.ZodType>>;
  return actions.map((a) => ({ ...a, run: (ctx, data) => a.run({ ...ctx, deps }, data) }));
}
