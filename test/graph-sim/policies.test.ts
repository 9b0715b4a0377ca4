import assert from 'node:assert/strict';
import { call, demoPractice, errorOf, NORA, REPORT, userByUpn, withSim } from './helpers';

const SECURITY_DEFAULTS = '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy';
const CA = '/v1.0/identity/conditionalAccess/policies';
const METHODS = '/v1.0/policies/authenticationMethodsPolicy';
const config = (id: string) => `${METHODS}/authenticationMethodConfigurations/${id}`;

type Json = Record<string, unknown>;
const configOf = (policy: Json, id: string) =>
  (policy.authenticationMethodConfigurations as Json[]).find((c) => c.id === id)!;

describe('graph-sim sign-in policies', () => {
  const practice = demoPractice();
  const nora = userByUpn(practice, NORA);
  const breakGlass = userByUpn(practice, 'breakglass.admin@riverbendfm.example');
  const marcus = userByUpn(practice, 'marcus.bell@riverbendfm.example');
  const { sim } = withSim();
  const control = (method: string, path: string, body?: unknown) =>
    call(sim(), method, path, { token: null, body });

  it('serves the partly ready demo practice', async () => {
    assert.equal((await call(sim(), 'GET', SECURITY_DEFAULTS)).json.isEnabled, false);
    const ca = (await call(sim(), 'GET', CA)).json.value as Json[];
    assert.deepEqual(
      ca.map((p) => [p.displayName, p.state]),
      [
        ['Require MFA for all users', 'enabled'],
        ['Block legacy authentication', 'enabled'],
      ],
    );
    const users = (ca[0]!.conditions as { users: { excludeUsers: string[] } }).users;
    assert.deepEqual(users.excludeUsers, [breakGlass.id.toLowerCase()]);

    const policy = (await call(sim(), 'GET', METHODS)).json;
    const campaign = (policy.registrationEnforcement as Json)
      .authenticationMethodsRegistrationCampaign as Json;
    assert.equal(campaign.state, 'disabled');
    assert.equal(configOf(policy, 'Sms').state, 'enabled');
    assert.equal(
      configOf(policy, 'Sms')['@odata.type'],
      '#microsoft.graph.smsAuthenticationMethodConfiguration',
    );
    const tap = configOf(policy, 'TemporaryAccessPass');
    assert.deepEqual(
      [tap.isUsableOnce, tap.defaultLifetimeInMinutes, tap.maximumLifetimeInMinutes],
      [true, 60, 480],
    );
    const own = await call(sim(), 'GET', config('microsoftAuthenticator'));
    assert.equal(
      (own.json.featureSettings as Json).displayLocationInformationRequiredState !== undefined,
      true,
    );
  });

  it('answers 403 Authorization_RequestDenied for a permission the tenant has not granted', async () => {
    await control('PATCH', '/_sim/tenant', {
      deniedScopes: ['Policy.Read.All', 'AuditLog.Read.All'],
    });
    for (const path of [
      SECURITY_DEFAULTS,
      CA,
      METHODS,
      config('Sms'),
      `/beta/users/${nora.id}/authentication/requirements`,
    ]) {
      const res = await call(sim(), 'GET', path);
      assert.equal(res.status, 403, path);
      assert.equal(errorOf(res).code, 'Authorization_RequestDenied', path);
    }
    // The reports service names the missing permission in its own words.
    const report = await call(sim(), 'GET', REPORT);
    assert.equal(report.status, 403);
    assert.equal(errorOf(report).code, 'Authentication_MSGraphPermissionMissing');
    await control('POST', '/_sim/reset');
    assert.equal((await call(sim(), 'GET', CA)).status, 200);
  });

  it('refuses Conditional Access on a tenant without Entra ID P1, but not security defaults', async () => {
    await control('PATCH', '/_sim/tenant', { licence: 'free' });
    const res = await call(sim(), 'GET', CA);
    assert.equal(res.status, 403);
    assert.equal(errorOf(res).code, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
    assert.equal((await call(sim(), 'GET', SECURITY_DEFAULTS)).status, 200);
    assert.equal((await call(sim(), 'GET', METHODS)).status, 200);
  });

  it('changes policies through the control route, and forgets them on reset', async () => {
    const changed = await control('PATCH', '/_sim/policies', {
      securityDefaults: true,
      conditionalAccess: [],
      registrationCampaign: { state: 'enabled' },
      methods: {
        Sms: { state: 'disabled' },
        TemporaryAccessPass: { maximumLifetimeInMinutes: 60 },
      },
      perUserMfa: { [NORA]: 'enforced' },
    });
    assert.equal(changed.status, 200);
    assert.equal((await call(sim(), 'GET', SECURITY_DEFAULTS)).json.isEnabled, true);
    assert.deepEqual((await call(sim(), 'GET', CA)).json.value, []);
    const policy = (await call(sim(), 'GET', METHODS)).json;
    assert.equal(configOf(policy, 'Sms').state, 'disabled');
    assert.equal(configOf(policy, 'TemporaryAccessPass').maximumLifetimeInMinutes, 60);
    const requirement = await call(
      sim(),
      'GET',
      `/beta/users/${nora.id}/authentication/requirements`,
    );
    assert.equal(requirement.json.perUserMfaState, 'enforced');

    await control('POST', '/_sim/reset');
    assert.equal((await call(sim(), 'GET', SECURITY_DEFAULTS)).json.isEnabled, false);
    assert.equal(((await call(sim(), 'GET', CA)).json.value as Json[]).length, 2);
  });

  it('refuses control changes Graph would refuse', async () => {
    const bad = [
      { methods: { Carrier: { state: 'disabled' } } },
      { methods: { TemporaryAccessPass: { defaultLifetimeInMinutes: 600 } } },
      { methods: { Sms: { isUsableOnce: true } } },
      { perUserMfa: { 'nobody@riverbendfm.example': 'enabled' } },
      { registrationCampaign: { snoozeDurationInDays: 30 } },
    ];
    for (const body of bad)
      assert.equal(
        (await control('PATCH', '/_sim/policies', body)).status,
        400,
        JSON.stringify(body),
      );
  });

  it('issues passes by the Temporary Access Pass configuration it serves', async () => {
    const passes = `/v1.0/users/${nora.id}/authentication/temporaryAccessPassMethods`;
    await control('PATCH', '/_sim/policies', {
      methods: {
        TemporaryAccessPass: {
          minimumLifetimeInMinutes: 10,
          defaultLifetimeInMinutes: 20,
          maximumLifetimeInMinutes: 30,
        },
      },
    });
    assert.equal(
      (await call(sim(), 'POST', passes, { body: { lifetimeInMinutes: 60 } })).status,
      400,
    );
    assert.equal((await call(sim(), 'POST', passes, { body: {} })).json.lifetimeInMinutes, 20);
    await control('PATCH', '/_sim/policies', {
      methods: { TemporaryAccessPass: { state: 'disabled' } },
    });
    const created = await call(sim(), 'POST', passes, { body: {} });
    assert.equal(created.json.methodUsabilityReason, 'DisabledByPolicy');
  });

  it('applies Graph PATCHes: a Conditional Access exclusion keeps the rest of the conditions', async () => {
    const [mfa] = (await call(sim(), 'GET', CA)).json.value as Json[];
    const res = await call(sim(), 'PATCH', `${CA}/${mfa!.id}`, {
      body: { conditions: { users: { excludeUsers: [breakGlass.id, nora.id] } } },
    });
    assert.equal(res.status, 204);
    const after = (await call(sim(), 'GET', `${CA}/${mfa!.id}`)).json.conditions as {
      users: Json;
      applications: Json;
    };
    assert.deepEqual(after.users.excludeUsers, [breakGlass.id, nora.id]);
    assert.deepEqual(after.users.includeUsers, ['All']);
    assert.deepEqual(after.applications.includeApplications, ['All']);
  });

  it('turns per-user MFA "enabled" into "enforced" for someone already registered, as Graph documents', async () => {
    const path = (id: string) => `/beta/users/${id}/authentication/requirements`;
    assert.equal(
      (await call(sim(), 'PATCH', path(marcus.id), { body: { perUserMfaState: 'enabled' } }))
        .status,
      204,
    );
    assert.equal((await call(sim(), 'GET', path(marcus.id))).json.perUserMfaState, 'enforced');
    await call(sim(), 'PATCH', path(nora.id), { body: { perUserMfaState: 'enabled' } });
    assert.equal((await call(sim(), 'GET', path(nora.id))).json.perUserMfaState, 'enabled');
  });
});
