import { z } from 'zod';
import {
  badRequest,
  GraphHttpError,
  metadata,
  notFound,
  parseBody,
  requireScope,
  requireUser,
  sendEmpty,
  sendJson,
  type SimContext,
} from '../http';
import { queryOptions } from '../odata';
import {
  CaPolicyInputSchema,
  CaPolicyPatchSchema,
  CampaignPatchSchema,
  MethodConfigPatchSchema,
  MIGRATION_STATES,
  PER_USER_MFA_STATES,
} from '../policy-inputs';
import { PolicyError } from '../policies';
import type { Router } from '../router';

/**
 * Sign-in policies: security defaults, Conditional Access, the authentication methods policy (and
 * each method's configuration), and per-user MFA (beta). Reads need Policy.Read.All; the writes
 * exist so a fix shown to IT can be tried here exactly as it would be sent to Graph.
 */

const SECURITY_DEFAULTS = '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy';
const CA = '/v1.0/identity/conditionalAccess/policies';
const METHODS = '/v1.0/policies/authenticationMethodsPolicy';

const SecurityDefaultsPatch = z.object({ isEnabled: z.boolean() }).strict();

const MethodsPolicyPatch = z
  .object({
    registrationEnforcement: z
      .object({ authenticationMethodsRegistrationCampaign: CampaignPatchSchema })
      .strict()
      .optional(),
    policyMigrationState: z.enum(MIGRATION_STATES).optional(),
  })
  .strict();

const RequirementsPatch = z.object({ perUserMfaState: z.enum(PER_USER_MFA_STATES) }).strict();

/**
 * Conditional Access needs Entra ID P1. What Graph answers a tenant without it is not documented
 * (UNCONFIRMED): the stand-in gives the same 403 the reports give on a free tenant.
 */
function requireConditionalAccess(ctx: SimContext, scope: string): void {
  requireScope(ctx, scope);
  if (ctx.state.licence !== 'free') return;
  throw new GraphHttpError(
    403,
    'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    "Neither tenant is B2C or tenant doesn't have premium license",
  );
}

function asBadRequest(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (err instanceof PolicyError) throw badRequest(err.message);
    throw err;
  }
}

export function registerPolicies(router: Router): void {
  router.on('GET', SECURITY_DEFAULTS, (ctx) => {
    queryOptions(ctx, ['$select']);
    requireScope(ctx, 'Policy.Read.All');
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'policies/identitySecurityDefaultsEnforcementPolicy/$entity'),
      id: '00000000-0000-0000-0000-000000000005',
      displayName: 'Security Defaults',
      description:
        'Security defaults is a set of basic identity security mechanisms recommended by Microsoft.',
      isEnabled: ctx.state.policies.securityDefaults,
    });
  });
  router.on('PATCH', SECURITY_DEFAULTS, (ctx) => {
    requireScope(ctx, 'Policy.ReadWrite.SecurityDefaults');
    ctx.state.policies.securityDefaults = parseBody(ctx, SecurityDefaultsPatch).isEnabled;
    sendEmpty(ctx, 204);
  });

  router.on('GET', CA, (ctx) => {
    queryOptions(ctx, []);
    requireConditionalAccess(ctx, 'Policy.Read.All');
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'identity/conditionalAccess/policies'),
      value: ctx.state.policies.caPolicies(),
    });
  });
  router.on('POST', CA, (ctx) => {
    requireConditionalAccess(ctx, 'Policy.ReadWrite.ConditionalAccess');
    const policy = ctx.state.policies.addCa(parseBody(ctx, CaPolicyInputSchema), ctx.state.now());
    sendJson(ctx, 201, {
      '@odata.context': metadata(ctx, 'identity/conditionalAccess/policies/$entity'),
      ...policy,
    });
  });
  router.on('GET', `${CA}/:policyId`, (ctx) => {
    requireConditionalAccess(ctx, 'Policy.Read.All');
    const policy = ctx.state.policies.caPolicy(ctx.params.policyId!);
    if (!policy) throw notFound(ctx.params.policyId!);
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'identity/conditionalAccess/policies/$entity'),
      ...policy,
    });
  });
  router.on('PATCH', `${CA}/:policyId`, (ctx) => {
    requireConditionalAccess(ctx, 'Policy.ReadWrite.ConditionalAccess');
    const policy = ctx.state.policies.caPolicy(ctx.params.policyId!);
    if (!policy) throw notFound(ctx.params.policyId!);
    ctx.state.policies.patchCa(policy, parseBody(ctx, CaPolicyPatchSchema), ctx.state.now());
    sendEmpty(ctx, 204);
  });

  const methodsPolicy = (ctx: SimContext) => ({
    '@odata.context': metadata(ctx, 'policies/authenticationMethodsPolicy/$entity'),
    ...ctx.state.policies.methodsPolicyJson(),
  });
  router.on('GET', METHODS, (ctx) => {
    queryOptions(ctx, []);
    requireScope(ctx, 'Policy.Read.All');
    sendJson(ctx, 200, methodsPolicy(ctx));
  });
  router.on('PATCH', METHODS, (ctx) => {
    requireScope(ctx, 'Policy.ReadWrite.AuthenticationMethod');
    const patch = parseBody(ctx, MethodsPolicyPatch);
    const campaign = patch.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
    if (campaign) ctx.state.policies.patchCampaign(campaign);
    if (patch.policyMigrationState)
      ctx.state.policies.policyMigrationState = patch.policyMigrationState;
    sendJson(ctx, 200, methodsPolicy(ctx));
  });

  const configuration = (ctx: SimContext) => {
    const config = ctx.state.policies.config(ctx.params.configId!);
    if (!config) throw notFound(ctx.params.configId!);
    return config;
  };
  router.on('GET', `${METHODS}/authenticationMethodConfigurations/:configId`, (ctx) => {
    queryOptions(ctx, []);
    requireScope(ctx, 'Policy.Read.All');
    const config = configuration(ctx);
    sendJson(ctx, 200, {
      '@odata.context': metadata(
        ctx,
        'policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity',
      ),
      ...ctx.state.policies.configJson(config),
    });
  });
  router.on('PATCH', `${METHODS}/authenticationMethodConfigurations/:configId`, (ctx) => {
    requireScope(ctx, 'Policy.ReadWrite.AuthenticationMethod');
    const config = configuration(ctx);
    const patch = parseBody(ctx, MethodConfigPatchSchema);
    asBadRequest(() => ctx.state.policies.patchConfig(config, patch));
    sendEmpty(ctx, 204);
  });

  // Per-user MFA, the legacy setting (beta only).
  router.on('GET', '/beta/users/:id/authentication/requirements', (ctx) => {
    queryOptions(ctx, []);
    requireScope(ctx, 'Policy.Read.All');
    const user = requireUser(ctx);
    sendJson(ctx, 200, {
      '@odata.context': `${ctx.baseUrl}/beta/$metadata#users('${user.id}')/authentication/requirements`,
      perUserMfaState: ctx.state.policies.perUserMfa(user.id),
    });
  });
  router.on('PATCH', '/beta/users/:id/authentication/requirements', (ctx) => {
    requireScope(ctx, 'Policy.ReadWrite.AuthenticationMethod');
    const user = requireUser(ctx);
    const wanted = parseBody(ctx, RequirementsPatch).perUserMfaState;
    // Graph's documented rule: "enabled" for someone already registered becomes "enforced".
    const registered = ctx.state.registrationRow(user)?.isMfaRegistered ?? false;
    ctx.state.policies.setPerUserMfa(
      user.id,
      wanted === 'enabled' && registered ? 'enforced' : wanted,
    );
    sendEmpty(ctx, 204);
  });
}
