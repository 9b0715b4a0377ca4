import { z } from 'zod';
import { METHOD_NAMES } from '../../directory/practice';
import { InstallBehaviourSchema, SimTeamsAppSchema } from '../catalog';
import { FaultConfigSchema, type Faults } from '../faults';
import { LimitsConfigSchema, type Limits } from '../limits';
import { badRequest, parseBody, requireUser, sendJson, type SimContext } from '../http';
import { methodsRegistered, type SimUser } from '../records';
import type { RequestLog } from '../request-log';
import type { Router } from '../router';
import type { SimState } from '../state';
import { tapUsability } from '../views';

/** Test-only controls under /_sim/ (no authentication; the stand-in listens on loopback only). */

const UserPatchSchema = z
  .object({
    methodsRegistered: z.array(z.enum(METHOD_NAMES)).optional(),
    deviceName: z.string().min(1).optional(),
    displayName: z.string().min(1).optional(),
    accountEnabled: z.boolean().optional(),
    isAdmin: z.boolean().optional(),
    eligibleRoles: z.array(z.string().uuid()).optional(),
    jobTitle: z.string().nullable().optional(),
    department: z.string().nullable().optional(),
    mobilePhone: z.string().nullable().optional(),
    phoneNumber: z.string().nullable().optional(),
    memberOf: z.array(z.string()).optional(),
    userType: z.enum(['Member', 'Guest']).optional(),
  })
  .strict();

const UseTapBody = z.object({ code: z.string() });

const TenantPatchSchema = z.object({ licence: z.enum(['free', 'p1', 'p2']).optional() }).strict();
const ReportPatchSchema = z.object({ frozen: z.boolean() }).strict();
const CatalogSchema = z.object({ value: z.array(SimTeamsAppSchema) }).strict();

/** The full record for tests: derived registrations, groups, and the pass without its code. */
export function simUserView(state: SimState, user: SimUser): Record<string, unknown> {
  const { tap, ...rest } = user;
  const now = state.now();
  return {
    ...rest,
    methodsRegistered: methodsRegistered(user),
    transitiveMemberOf: [...state.transitiveGroups(user)],
    tap: tap && {
      id: tap.id,
      createdDateTime: tap.createdDateTime,
      startDateTime: tap.startDateTime,
      lifetimeInMinutes: tap.lifetimeInMinutes,
      isUsableOnce: tap.isUsableOnce,
      usedDateTime: tap.usedDateTime,
      methodUsabilityReason: tapUsability(tap, now),
    },
  };
}

export interface SimControlDeps {
  faults: Faults;
  limits: Limits;
  requests: RequestLog;
}

export function registerSimControl(router: Router, deps: SimControlDeps): void {
  const userView = (ctx: SimContext) => simUserView(ctx.state, requireUser(ctx));

  router.on('GET', '/_sim/health', (ctx) =>
    sendJson(ctx, 200, { status: 'ok', tenantId: ctx.state.tenantId, users: ctx.state.userCount }),
  );

  router.on('GET', '/_sim/users/:id', (ctx) => sendJson(ctx, 200, userView(ctx)));

  router.on('PATCH', '/_sim/users/:id', (ctx) => {
    const user = requireUser(ctx);
    const patch = parseBody(ctx, UserPatchSchema);
    const unknownGroup = patch.memberOf?.find((g) => !ctx.state.group(g));
    if (unknownGroup) throw badRequest(`Unknown group '${unknownGroup}'.`);
    ctx.state.patchUser(user, patch);
    sendJson(ctx, 200, userView(ctx));
  });

  router.on('POST', '/_sim/users/:id/use-tap', (ctx) => {
    const user = requireUser(ctx);
    const { code } = parseBody(ctx, UseTapBody);
    sendJson(ctx, 200, ctx.state.useTap(user, code));
  });

  router.on('GET', '/_sim/tenant', (ctx) => sendJson(ctx, 200, { licence: ctx.state.licence }));
  router.on('PATCH', '/_sim/tenant', (ctx) => {
    const patch = parseBody(ctx, TenantPatchSchema);
    if (patch.licence) ctx.state.licence = patch.licence;
    sendJson(ctx, 200, { licence: ctx.state.licence });
  });

  router.on('GET', '/_sim/mail', (ctx) => sendJson(ctx, 200, { value: ctx.state.mail() }));
  router.on('DELETE', '/_sim/mail', (ctx) => {
    ctx.state.clearMail();
    sendJson(ctx, 200, { value: [] });
  });

  router.on('GET', '/_sim/faults', (ctx) => sendJson(ctx, 200, { faults: deps.faults.current() }));
  router.on('POST', '/_sim/faults', (ctx) => {
    deps.faults.set(parseBody(ctx, FaultConfigSchema));
    sendJson(ctx, 200, { faults: deps.faults.current() });
  });
  router.on('DELETE', '/_sim/faults', (ctx) => {
    deps.faults.set(null);
    sendJson(ctx, 200, { faults: null });
  });

  // Graph's documented throttling, off until asked for: {"documented": true} or per service.
  router.on('GET', '/_sim/limits', (ctx) => sendJson(ctx, 200, deps.limits.current()));
  router.on('POST', '/_sim/limits', (ctx) => {
    deps.limits.set(parseBody(ctx, LimitsConfigSchema));
    sendJson(ctx, 200, deps.limits.current());
  });
  router.on('DELETE', '/_sim/limits', (ctx) => {
    deps.limits.set(null);
    sendJson(ctx, 200, deps.limits.current());
  });

  // Microsoft's registration report lags: frozen, it keeps answering as it was.
  router.on('GET', '/_sim/report', (ctx) => sendJson(ctx, 200, { frozen: ctx.state.reportFrozen }));
  router.on('PATCH', '/_sim/report', (ctx) => {
    ctx.state.freezeReport(parseBody(ctx, ReportPatchSchema).frozen);
    sendJson(ctx, 200, { frozen: ctx.state.reportFrozen });
  });

  router.on('GET', '/_sim/catalog', (ctx) => sendJson(ctx, 200, { value: ctx.state.catalog }));
  router.on('PUT', '/_sim/catalog', (ctx) => {
    ctx.state.catalog = parseBody(ctx, CatalogSchema).value;
    sendJson(ctx, 200, { value: ctx.state.catalog });
  });
  // How new installations settle: not listed at first, their chat refused at first.
  router.on('PATCH', '/_sim/teamwork', (ctx) => {
    const behaviour = parseBody(ctx, InstallBehaviourSchema);
    ctx.state.setInstallBehaviour(behaviour);
    sendJson(ctx, 200, behaviour);
  });

  router.on('GET', '/_sim/requests', (ctx) => sendJson(ctx, 200, { value: deps.requests.all() }));
  router.on('DELETE', '/_sim/requests', (ctx) => {
    deps.requests.clear();
    sendJson(ctx, 200, { value: [] });
  });

  router.on('POST', '/_sim/reset', (ctx) => {
    ctx.state.reset();
    deps.faults.set(null);
    deps.limits.set(null);
    deps.requests.clear();
    sendJson(ctx, 200, { status: 'reset', users: ctx.state.userCount });
  });
}
