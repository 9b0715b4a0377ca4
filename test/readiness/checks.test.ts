import assert from 'node:assert/strict';
import { DirectoryError, isDirectoryError } from '../../services/directory/types';
import { silentLogger } from '../../services/logger';
import { GraphPolicyReader } from '../../services/readiness/policy-reader';
import { ReadinessService } from '../../services/readiness/service';
import { summarize, type CheckResult } from '../../services/readiness/report';
import { SqliteStore } from '../../services/storage/sqlite';
import { call, demoPractice, userByUpn } from '../graph-sim/helpers';
import { EXCLUSIONS, statuses, withReadiness } from './harness';

/** Each check against the Graph stand-in: the demo practice, then one setting flipped at a time. */

const practice = demoPractice();
const upn = (name: string) => `${name}@riverbendfm.example`;
const id = (name: string) => userByUpn(practice, upn(name)).id;

type Json = Record<string, unknown>;

describe('rollout readiness checks', () => {
  const h = withReadiness();

  /** The demo's Conditional Access policies as the control route takes them, with a change. */
  async function caPolicies(change: (policies: Json[]) => void = () => {}): Promise<void> {
    const current = (await call(h().sim, 'GET', '/_sim/policies', { token: null })).json
      .conditionalAccess as Json[];
    const inputs = current.map(({ displayName, state, conditions, grantControls }) => ({
      displayName,
      state,
      conditions,
      grantControls,
    }));
    change(inputs);
    await h().policies({ conditionalAccess: inputs });
  }

  it('finds the demo practice partly ready: the campaign blocks, three items need attention', async () => {
    const report = await h().run();
    assert.deepEqual(statuses(report), {
      'mfa-required': 'pass',
      authenticator: 'pass',
      'registration-campaign': 'fail',
      'temporary-access-pass': 'attention',
      'text-and-voice': 'attention',
      'per-user-mfa': 'pass',
      'legacy-auth-blocked': 'pass',
      'break-glass': 'attention',
      'admins-phishing-resistant': 'pass',
    });
    const summary = summarize(report);
    assert.equal(summary.ready, false);
    assert.equal(summary.headline, 'Not ready to enforce: 1 item blocks it');
    assert.deepEqual(
      summary.blocking.map((c) => c.id),
      ['registration-campaign'],
    );
    assert.deepEqual(
      summary.attention.map((c) => c.id),
      ['break-glass', 'temporary-access-pass', 'text-and-voice'],
    );
    const tap = report.checks.find((c) => c.id === 'temporary-access-pass')!;
    assert.match(tap.reason, /up to 8 hours/);
    assert.match(
      report.checks.find((c) => c.id === 'text-and-voice')!.reason,
      /^Text message codes are on for everyone; \d+ people still have only a phone number/,
    );
    for (const c of report.checks) {
      assert.ok(c.reason && c.risk, `${c.id} has a reason and a risk`);
      assert.match(
        c.fixUrl,
        /^https:\/\/(entra\.microsoft\.com|account\.activedirectory\.windowsazure\.com)\//,
        c.id,
      );
    }
    assert.deepEqual(report.coverage, { total: 62, authenticator: 27, other: 22, none: 13 });
  });

  it('only reads: every call it makes to Graph is a GET', async () => {
    await call(h().sim, 'DELETE', '/_sim/requests', { token: null });
    await h().run();
    const logged = (await call(h().sim, 'GET', '/_sim/requests', { token: null })).json
      .value as Array<{ method: string; path: string }>;
    assert.ok(logged.length >= 8);
    assert.deepEqual(
      logged.filter((r) => r.method !== 'GET'),
      [],
    );
  });

  it('is ready to enforce once the fixes it shows are applied to the tenant', async () => {
    const before = await h().run();
    for (const c of before.checks.filter((x) => x.fix)) {
      for (const request of c.fix!.requests)
        assert.ok([200, 204].includes(await h().apply(request)), `${c.id}: ${request.summary}`);
    }
    // Break-glass: a second emergency admin, the one fix that is done by hand.
    await call(h().sim, 'PATCH', `/_sim/users/${upn('priya.raman')}`, {
      token: null,
      body: { isAdmin: true, memberOf: [EXCLUSIONS], methodsRegistered: ['fido2SecurityKey'] },
    });
    const second = await h().check('break-glass');
    assert.equal(second.status, 'fail', 'a new emergency account is still inside the MFA policies');
    for (const request of second.fix!.requests) assert.equal(await h().apply(request), 204);
    const after = await h().run();
    const text = after.checks.find((c) => c.id === 'text-and-voice')!;
    assert.equal(text.status, 'pass', text.reason);
    assert.deepEqual(statuses(after), Object.fromEntries(after.checks.map((c) => [c.id, 'pass'])));
    assert.equal(summarize(after).headline, 'Ready to enforce');
  });

  describe('MFA required for everyone', () => {
    it('fails when the policy is only reporting, and its fix turns it on', async () => {
      await caPolicies((p) => (p[0]!.state = 'enabledForReportingButNotEnforced'));
      const check = await h().check('mfa-required');
      assert.equal(check.status, 'fail');
      assert.match(check.reason, /report-only/);
      assert.equal(await h().apply(check.fix!.requests[0]!), 204);
      assert.equal((await h().check('mfa-required')).status, 'pass');
    });

    it('fails with no policy at all, and passes with security defaults instead', async () => {
      await h().policies({ conditionalAccess: [] });
      const none = await h().check('mfa-required');
      assert.equal(none.status, 'fail');
      assert.match(none.reason, /nothing requires MFA of everyone/);
      const create = none.fix!.requests[0]!;
      assert.equal(create.method, 'POST');
      assert.deepEqual((create.body as { conditions: { users: Json } }).conditions.users, {
        includeUsers: ['All'],
        excludeUsers: [id('breakglass.admin')],
        excludeGroups: [],
      });
      await h().policies({ securityDefaults: true });
      const defaults = await h().check('mfa-required');
      assert.equal(defaults.status, 'pass');
      assert.match(defaults.reason, /Security defaults are on/);
    });

    it('needs attention when the policy also leaves out a shared account', async () => {
      await caPolicies(
        (p) => ((p[0]!.conditions as { users: Json }).users.excludeGroups = [EXCLUSIONS]),
      );
      const check = await h().check('mfa-required');
      assert.equal(check.status, 'attention');
      assert.match(check.reason, /frontdesk\.shared@riverbendfm\.example/);
    });

    it('does not count a policy that lets people in with a compliant device instead of MFA', async () => {
      await caPolicies(
        (p) => ((p[0]!.grantControls as Json).builtInControls = ['mfa', 'compliantDevice']),
      );
      assert.equal((await h().check('mfa-required')).status, 'fail');
    });
  });

  it('legacy sign-in: fails when nothing blocks it', async () => {
    await caPolicies((p) => p.splice(1, 1));
    const check = await h().check('legacy-auth-blocked');
    assert.equal(check.status, 'fail');
    assert.deepEqual(
      (check.fix!.requests[0]!.body as { conditions: Json }).conditions.clientAppTypes,
      ['exchangeActiveSync', 'other'],
    );
  });

  describe('Microsoft Authenticator', () => {
    it('fails when it is off', async () => {
      await h().policies({ methods: { MicrosoftAuthenticator: { state: 'disabled' } } });
      assert.equal((await h().check('authenticator')).status, 'fail');
    });

    it('needs attention when prompts do not show the location', async () => {
      const nobody = { id: '00000000-0000-0000-0000-000000000000', targetType: 'group' };
      const feature = (state: string) => ({
        state,
        includeTarget: { id: 'all_users', targetType: 'group' },
        excludeTarget: nobody,
      });
      await h().policies({
        methods: {
          MicrosoftAuthenticator: {
            featureSettings: {
              displayAppInformationRequiredState: feature('enabled'),
              displayLocationInformationRequiredState: feature('default'),
            },
          },
        },
      });
      const check = await h().check('authenticator');
      assert.equal(check.status, 'attention');
      assert.match(check.reason, /don't show everyone the location/);
    });
  });

  describe('registration campaign', () => {
    it('passes when on for everyone, and asks about Microsoft managed', async () => {
      await h().policies({ registrationCampaign: { state: 'enabled' } });
      assert.equal((await h().check('registration-campaign')).status, 'pass');
      await h().policies({ registrationCampaign: { state: 'default' } });
      const managed = await h().check('registration-campaign');
      assert.equal(managed.status, 'attention');
      assert.match(managed.reason, /Microsoft managed/);
    });

    it('would nudge a break-glass account it does not leave out', async () => {
      await h().policies({ registrationCampaign: { state: 'enabled', excludeTargets: [] } });
      const check = await h().check('break-glass');
      assert.equal(check.status, 'attention');
      assert.match(check.reason, /registration nudge would ask breakglass\.admin/);
    });
  });

  describe('Temporary Access Pass', () => {
    it('passes at one hour, one-time; needs attention when reusable', async () => {
      await h().policies({ methods: { TemporaryAccessPass: { maximumLifetimeInMinutes: 60 } } });
      assert.equal((await h().check('temporary-access-pass')).status, 'pass');
      await h().policies({ methods: { TemporaryAccessPass: { isUsableOnce: false } } });
      const reusable = await h().check('temporary-access-pass');
      assert.equal(reusable.status, 'attention');
      assert.match(reusable.reason, /used again and again/);
    });

    it('fails when off, or when the bot’s own lifetime is outside the policy', async () => {
      const outside = await h().check('temporary-access-pass', { tapLifetimeMinutes: 600 });
      assert.equal(outside.status, 'fail');
      assert.match(outside.reason, /every pass IT issues will be refused/);
      await h().policies({ methods: { TemporaryAccessPass: { state: 'disabled' } } });
      assert.equal((await h().check('temporary-access-pass')).status, 'fail');
    });
  });

  it('text and voice codes: pass once off and migrated, attention while the old policies still count', async () => {
    await h().policies({ methods: { Sms: { state: 'disabled' } } });
    assert.equal((await h().check('text-and-voice')).status, 'pass');
    await h().policies({ policyMigrationState: 'migrationInProgress' });
    const check = await h().check('text-and-voice');
    assert.equal(check.status, 'attention');
    assert.match(check.reason, /migrationInProgress/);
  });

  it('per-user MFA: needs attention for an admin who still has it, with the beta request to turn it off', async () => {
    await h().policies({ perUserMfa: { [upn('marcus.bell')]: 'enforced' } });
    const check = await h().check('per-user-mfa');
    assert.equal(check.status, 'attention');
    assert.match(check.reason, /marcus\.bell@riverbendfm\.example \(enforced\)/);
    assert.match(check.reason, /Staff accounts aren't read/);
    assert.equal(await h().apply(check.fix!.requests[0]!), 204);
    assert.equal((await h().check('per-user-mfa')).status, 'pass');
  });

  it('break-glass: fails when the emergency admin is inside an MFA policy, or there is none', async () => {
    await caPolicies((p) => ((p[0]!.conditions as { users: Json }).users.excludeUsers = []));
    const inside = await h().check('break-glass');
    assert.equal(inside.status, 'fail');
    assert.match(
      inside.reason,
      /not left out of "Require MFA for all users": one mistake there could lock every admin out/,
    );
    await call(h().sim, 'PATCH', `/_sim/users/${upn('breakglass.admin')}`, {
      token: null,
      body: { isAdmin: false },
    });
    const none = await h().check('break-glass');
    assert.equal(none.status, 'fail');
    assert.match(none.reason, /No admin account is in "MFA Exclusions"/);
  });

  it('admins: needs attention for an admin with nothing phishing-resistant', async () => {
    await call(h().sim, 'PATCH', `/_sim/users/${upn('marcus.bell')}`, {
      token: null,
      body: { methodsRegistered: ['microsoftAuthenticatorPush'] },
    });
    const check = await h().check('admins-phishing-resistant');
    assert.equal(check.status, 'attention');
    assert.match(
      check.reason,
      /1 of 2 admins have no security key, passkey or Windows Hello: marcus\.bell/,
    );
  });

  describe('what it cannot see, it says, and never passes', () => {
    const POLICY_CHECKS = [
      'mfa-required',
      'legacy-auth-blocked',
      'authenticator',
      'registration-campaign',
      'temporary-access-pass',
      'text-and-voice',
      'per-user-mfa',
      'break-glass',
    ];
    const unknown = (checks: CheckResult[], ids: string[]) =>
      checks.filter((c) => ids.includes(c.id));

    it('without Policy.Read.All: every policy check is "can\'t see" and names the permission', async () => {
      await h().tenant({ deniedScopes: ['Policy.Read.All'] });
      const report = await h().run();
      for (const c of unknown(report.checks, POLICY_CHECKS)) {
        assert.equal(c.status, 'unknown', c.id);
        assert.match(
          c.needs!,
          /Policy\.Read\.All application permission, with admin consent/,
          c.id,
        );
        assert.match(c.reason, /^Can't see|can't see/, c.id);
      }
      assert.equal(
        report.checks.find((c) => c.id === 'admins-phishing-resistant')!.status,
        'pass',
        'what it can read still counts',
      );
      const summary = summarize(report);
      assert.equal(summary.ready, false);
      assert.equal(summary.blocking[0]!.id, 'break-glass');
    });

    it('without Entra ID P1: Conditional Access and the report are "can\'t see", with security defaults offered', async () => {
      await h().tenant({ licence: 'free' });
      const report = await h().run();
      for (const id of [
        'mfa-required',
        'legacy-auth-blocked',
        'break-glass',
        'per-user-mfa',
        'admins-phishing-resistant',
      ]) {
        const c = report.checks.find((x) => x.id === id)!;
        assert.equal(c.status, 'unknown', id);
        assert.match(c.needs!, /Microsoft Entra ID P1/, id);
      }
      const mfa = report.checks.find((c) => c.id === 'mfa-required')!;
      assert.match(mfa.reason, /^Security defaults are off, and I can't see Conditional Access/);
      assert.deepEqual(mfa.fix!.requests[0]!.body, { isEnabled: true });
      assert.equal(report.coverage, null);
      assert.ok(
        !report.checks.some((c) => c.status === 'pass' && POLICY_CHECKS.slice(0, 2).includes(c.id)),
      );
    });

    it('without AuditLog.Read.All: the account checks name that permission', async () => {
      await h().tenant({ deniedScopes: ['AuditLog.Read.All'] });
      const report = await h().run();
      for (const id of ['break-glass', 'per-user-mfa', 'admins-phishing-resistant']) {
        const c = report.checks.find((x) => x.id === id)!;
        assert.equal(c.status, 'unknown', id);
        assert.match(c.needs!, /AuditLog\.Read\.All/, id);
      }
    });

    it('an unfamiliar 403 on Conditional Access names both the permission and the licence', async () => {
      class Refusing extends GraphPolicyReader {
        override async conditionalAccessPolicies(): Promise<never> {
          throw new DirectoryError(
            'forbidden',
            'list conditional access policies: Graph answered 403 AccessDenied',
            { statusCode: 403, code: 'AccessDenied' },
          );
        }
      }
      const service = new ReadinessService({
        policies: new Refusing(h().directory.caller),
        directory: h().directory,
        settings: { nudgeExcludeGroupId: EXCLUSIONS, tapLifetimeMinutes: 60 },
        clock: h().clock,
        logger: silentLogger(),
      });
      const check = (await service.run()).checks.find((c) => c.id === 'mfa-required')!;
      assert.equal(check.status, 'unknown');
      assert.match(
        check.needs!,
        /Policy\.Read\.All application permission, with admin consent, and Microsoft Entra ID P1/,
      );
    });

    it('without the never-nudge group configured, it cannot tell the break-glass accounts', async () => {
      const check = await h().check('break-glass', { nudgeExcludeGroupId: undefined });
      assert.equal(check.status, 'unknown');
      assert.match(check.needs!, /NUDGE_EXCLUDE_GROUP_ID/);
    });

    it('when Graph is down, it cannot check now rather than guess, and keeps no report', async () => {
      await call(h().sim, 'POST', '/_sim/faults', {
        token: null,
        body: { status: 503, paths: '/policies' },
      });
      const store = new SqliteStore(':memory:');
      try {
        const service = h().service({}, store);
        await assert.rejects(service.run(), (err) => isDirectoryError(err, 'unavailable'));
        assert.equal(await service.latest(), undefined);
      } finally {
        await store.close();
      }
    });

    it('when only the registration report is down, those checks say to try again', async () => {
      await call(h().sim, 'POST', '/_sim/faults', {
        token: null,
        body: { status: 503, paths: '/reports' },
      });
      const report = await h().run();
      const check = report.checks.find((c) => c.id === 'admins-phishing-resistant')!;
      assert.equal(check.status, 'unknown');
      assert.match(check.needs!, /try again/);
      assert.equal(report.coverage, null);
    });
  });
});
