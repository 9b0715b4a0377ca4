import { z } from 'zod';
import { METHOD_NAMES } from '../../directory/practice';
import { InstallBehaviourSchema, SimTeamsAppSchema } from '../catalog';
import { FaultConfigSchema, type Faults } from '../faults';
import { LimitsConfigSchema, type Limits } from '../limits';
import { badRequest, parseBody, requireUser, sendJson, type SimContext } from '../http';
import {
  CaPolicyInputSchema,
  CampaignPatchSchema,
  MethodConfigPatchSchema,
  MIGRATION_STATES,
  PER_USER_MFA_STATES,
} from '../policy-inputs';
import { PolicyError } from '../policies';
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
    displayName: z.string().min(1).nullable().optional(),
    mail: z.string().email().nullable().optional(),
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

const TenantPatchSchema = z
  .object({
    licence: z.enum(['free', 'p1', 'p2']).optional(),
    /** Who the Temporary Access Pass policy includes: null for all users, or these group ids. */
    tapPolicyGroups: z.array(z.string()).nullable().optional(),
    /** Application permissions not granted (e.g. Policy.Read.All): their routes answer 403. */
    deniedScopes: z.array(z.string().min(1)).optional(),
    /** Graph's reports and audit log throttle (5 requests per 10 s), off by default. */
    reportsThrottle: z.boolean().optional(),
  })
  .strict();

/** Sets the tenant's sign-in policies in one go, in Graph's shapes; each field is optional. */
const PoliciesPatchSchema = z
  .object({
    securityDefaults: z.boolean().optional(),
    /** Replaces every Conditional Access policy. */
    conditionalAccess: z.array(CaPolicyInputSchema).optional(),
    policyMigrationState: z.enum(MIGRATION_STATES).nullable().optional(),
    registrationCampaign: CampaignPatchSchema.optional(),
    /** Per method id (MicrosoftAuthenticator, Sms, Voice, TemporaryAccessPass, ...). */
    methods: z.record(z.string(), MethodConfigPatchSchema).optional(),
    /** Per user id or UPN. */
    perUserMfa: z.record(z.string(), z.enum(PER_USER_MFA_STATES)).optional(),
  })
  .strict();
const ReportPatchSchema = z.object({ frozen: z.boolean() }).strict();
const CatalogSchema = z.object({ value: z.array(SimTeamsAppSchema) }).strict();

/** The full record for tests: derived registrations, groups, and the pass without its code. */
function simUserView(state: SimState, user: SimUser): Record<string, unknown> {
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
      methodUsabilityReason: tapUsability(tap, now, state.tapInPolicy(user)),
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

  const tenant = (ctx: SimContext) => ({
    licence: ctx.state.licence,
    tapPolicyGroups: ctx.state.tapPolicyGroups,
    deniedScopes: [...ctx.state.deniedScopes],
    reportsThrottle: ctx.state.reportsThrottle.current().enabled,
  });
  router.on('GET', '/_sim/tenant', (ctx) => sendJson(ctx, 200, tenant(ctx)));
  router.on('PATCH', '/_sim/tenant', (ctx) => {
    const patch = parseBody(ctx, TenantPatchSchema);
    if (patch.licence) ctx.state.licence = patch.licence;
    if (patch.tapPolicyGroups !== undefined) ctx.state.tapPolicyGroups = patch.tapPolicyGroups;
    if (patch.deniedScopes) ctx.state.deniedScopes = new Set(patch.deniedScopes);
    if (patch.reportsThrottle !== undefined) {
      ctx.state.reportsThrottle.configure({ enabled: patch.reportsThrottle });
    }
    sendJson(ctx, 200, tenant(ctx));
  });

  const policies = (ctx: SimContext) => {
    const p = ctx.state.policies;
    const users = ctx.state.allUsers().filter((u) => p.perUserMfa(u.id) !== 'disabled');
    return {
      securityDefaults: p.securityDefaults,
      conditionalAccess: p.caPolicies(),
      authenticationMethodsPolicy: p.methodsPolicyJson(),
      perUserMfa: Object.fromEntries(users.map((u) => [u.id, p.perUserMfa(u.id)])),
    };
  };
  router.on('GET', '/_sim/policies', (ctx) => sendJson(ctx, 200, policies(ctx)));
  router.on('PATCH', '/_sim/policies', (ctx) => {
    const patch = parseBody(ctx, PoliciesPatchSchema);
    const p = ctx.state.policies;
    for (const id of Object.keys(patch.methods ?? {})) {
      if (!p.config(id)) throw badRequest(`Unknown authentication method configuration '${id}'.`);
    }
    const people = Object.entries(patch.perUserMfa ?? {}).map(([key, state]) => {
      const user = ctx.state.user(key);
      if (!user) throw badRequest(`Unknown user '${key}'.`);
      return { user, state };
    });
    try {
      for (const [id, change] of Object.entries(patch.methods ?? {}))
        p.patchConfig(p.config(id)!, change);
    } catch (err) {
      if (err instanceof PolicyError) throw badRequest(err.message);
      throw err;
    }
    if (patch.securityDefaults !== undefined) p.securityDefaults = patch.securityDefaults;
    if (patch.conditionalAccess) p.replaceCa(patch.conditionalAccess, ctx.state.now());
    if (patch.policyMigrationState !== undefined)
      p.policyMigrationState = patch.policyMigrationState;
    if (patch.registrationCampaign) p.patchCampaign(patch.registrationCampaign);
    for (const { user, state } of people) p.setPerUserMfa(user.id, state);
    sendJson(ctx, 200, policies(ctx));
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
