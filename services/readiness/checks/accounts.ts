import type { BreakGlassAccount, ReadinessInputs } from '../gather';
import { CA_WRITE, ENTRA_LINKS, GRAPH_BETA, GRAPH_V1 } from '../links';
import type { CaPolicy } from '../policy-schemas';
import type { CheckResult, GraphRequest } from '../report';
import { cannotSee, capital, groupName, lower, plural, shortList } from './common';

const everyAdmin = (n: number) =>
  n === 1 ? 'the only admin' : n === 2 ? 'both admins' : `all ${n} admins`;

/** Particular accounts: admins' legacy per-user MFA, the break-glass accounts, admins' methods. */

export function perUserMfa(inputs: ReadinessInputs): CheckResult {
  const base = {
    id: 'per-user-mfa',
    title: 'Legacy per-user MFA off',
    risk: 'The old per-user MFA switch works against Conditional Access: extra prompts for some people, and surprises when either is changed.',
    fixUrl: ENTRA_LINKS.perUserMfa,
  } as const;
  if (!inputs.perUserMfa.ok)
    return cannotSee(base, "admins' per-user MFA setting", inputs.perUserMfa.gap);
  const { checked, admins } = inputs.perUserMfa.value;
  if (admins === 0) {
    const needs = 'at least one admin in the registration report (none is marked as admin)';
    return { ...base, status: 'unknown', reason: `Can't check: this needs ${needs}.`, needs };
  }
  const scope =
    checked.length < admins
      ? `the first ${checked.length} of ${admins} admins`
      : everyAdmin(admins);
  const staff =
    "Staff accounts aren't read (one Graph call each): check them on the per-user MFA page.";
  const on = checked.filter((c) => lower(c.state) !== 'disabled');
  if (on.length === 0) return { ...base, status: 'pass', reason: `Off for ${scope}. ${staff}` };
  return {
    ...base,
    status: 'attention',
    reason: `On for ${shortList(on.map((c) => `${c.upn} (${c.state})`))}, of ${scope} checked. ${staff}`,
    fix: {
      steps: [
        'Open the per-user MFA page, select each person shown as Enabled or Enforced → Disable MFA (Conditional Access keeps requiring it).',
      ],
      requests: on.map((c): GraphRequest => ({
        method: 'PATCH',
        url: `${GRAPH_BETA}/users/${c.id}/authentication/requirements`,
        permission: 'Policy.ReadWrite.AuthenticationMethod',
        summary: `Turns per-user MFA off for ${c.upn} (beta API)`,
        body: { perUserMfaState: 'disabled' },
      })),
    },
  };
}

const REPORT_ONLY = 'enabledForReportingButNotEnforced';

/** Enabled policies that reach admins: everyone, or anyone holding a directory role. */
const reachesAdmins = (p: CaPolicy) =>
  p.state === 'enabled' &&
  (p.conditions.users.includeUsers.some((u) => lower(u) === 'all') ||
    p.conditions.users.includeRoles.length > 0);

const leftOut = (p: CaPolicy, a: BreakGlassAccount) =>
  p.conditions.users.excludeUsers.some((id) => lower(id) === lower(a.id)) ||
  p.conditions.users.excludeGroups.some((g) => a.inExcludedGroups.includes(lower(g)));

function excludeFrom(p: CaPolicy, accounts: BreakGlassAccount[]): GraphRequest {
  const users = p.conditions.users;
  const excludeUsers = [...new Set([...users.excludeUsers, ...accounts.map((a) => a.id)])];
  return {
    method: 'PATCH',
    url: `${GRAPH_V1}/identity/conditionalAccess/policies/${p.id}`,
    permission: CA_WRITE,
    summary: `Leaves ${shortList(accounts.map((a) => a.upn))} out of "${p.displayName ?? p.id}"`,
    // Properties left out of a PATCH keep their values, so only the exclusion list is sent.
    body: { conditions: { users: { excludeUsers } } },
  };
}

export function breakGlass(inputs: ReadinessInputs): CheckResult {
  const base = {
    id: 'break-glass',
    title: 'Two break-glass accounts set aside',
    risk: 'If a policy goes wrong or the MFA service fails, an emergency admin account that MFA rules leave alone is the only way back into the tenant.',
    fixUrl: ENTRA_LINKS.conditionalAccess,
  } as const;
  if (!inputs.breakGlass.ok)
    return cannotSee(
      base,
      'which accounts are the emergency (break-glass) admins',
      inputs.breakGlass.gap,
    );
  const accounts = inputs.breakGlass.value;
  const group = inputs.settings.nudgeExcludeGroupId!;
  const steps = [
    'Create two cloud-only admin accounts on the .onmicrosoft.com domain, with long random passwords kept offline, and a FIDO2 security key each.',
    `Add them to ${groupName(inputs, group)}, so the bot never nudges them.`,
    'Conditional Access → each policy → Users → Exclude → add them.',
    'Authentication methods → Registration campaign → Exclude → add them.',
  ];
  if (accounts.length === 0) {
    return {
      ...base,
      status: 'fail',
      reason: `No admin account is in ${groupName(inputs, group)}: nothing is set aside for an emergency.`,
      fix: { steps, requests: [] },
    };
  }
  const names = shortList(accounts.map((a) => a.upn));
  const ca = inputs.conditionalAccess;
  const sd = inputs.securityDefaults;
  const usingDefaults = sd.ok && sd.value.isEnabled;
  if (!ca.ok && !usingDefaults)
    return cannotSee(base, 'whether they are left out of Conditional Access', ca.gap);
  const lockouts = ca.ok
    ? ca.value
        .filter(reachesAdmins)
        .map((p) => ({ policy: p, caught: accounts.filter((a) => !leftOut(p, a)) }))
        .filter((l) => l.caught.length)
    : [];
  if (lockouts.length) {
    const first = lockouts[0]!;
    return {
      ...base,
      status: 'fail',
      reason: `${shortList(first.caught.map((a) => a.upn))} ${first.caught.length === 1 ? 'is' : 'are'} not left out of "${first.policy.displayName ?? first.policy.id}"${lockouts.length > 1 ? ` and ${plural(lockouts.length - 1, 'other policy', 'other policies')}` : ''}: one mistake there could lock every admin out.`,
      fix: { steps, requests: lockouts.map((l) => excludeFrom(l.policy, l.caught)) },
    };
  }
  const problems: string[] = [];
  if (!inputs.methods.ok)
    return cannotSee(
      base,
      'whether Entra’s registration nudge leaves them out',
      inputs.methods.gap,
    );
  const campaign =
    inputs.methods.value.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  if (campaign && lower(campaign.state) === 'enabled') {
    const out = new Set(campaign.excludeTargets.map((t) => lower(t.id)));
    const nudged = accounts.filter((a) => !out.has(lower(a.id)) && !out.has(lower(group)));
    if (nudged.length)
      problems.push(
        `Entra’s registration nudge would ask ${shortList(nudged.map((a) => a.upn))} to install the app`,
      );
  }
  if (accounts.length === 1)
    problems.push(
      'there is only one (Microsoft recommends two, so one lost key can’t lock you out)',
    );
  const where = usingDefaults
    ? 'security defaults are on, and they leave nobody out'
    : `left out of every Conditional Access policy that is on${ca.ok && ca.value.some((p) => p.state === REPORT_ONLY) ? ' (report-only policies change nothing)' : ''}`;
  if (problems.length) {
    return {
      ...base,
      status: 'attention',
      reason: `${names}: ${where}, but ${problems.join('; ')}.`,
      fix: { steps, requests: [] },
    };
  }
  return { ...base, status: 'pass', reason: `${names}: ${where}, and never nudged.` };
}

/** Methods a phishing site can't relay (as the registration report names them). */
const PHISHING_RESISTANT = new Set([
  'fido2SecurityKey',
  'windowsHelloForBusiness',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
]);

export function adminsPhishingResistant(inputs: ReadinessInputs): CheckResult {
  const base = {
    id: 'admins-phishing-resistant',
    title: 'Admins on phishing-resistant sign-in',
    risk: 'An admin who approves a fake prompt or reads out a code hands over the whole tenant; a security key or passkey can’t be phished.',
    fixUrl: ENTRA_LINKS.userRegistrationDetails,
  } as const;
  if (!inputs.registrations.ok)
    return cannotSee(base, "admins' registered methods", inputs.registrations.gap);
  const admins = inputs.registrations.value.filter((r) => r.isAdmin);
  if (admins.length === 0) {
    const needs = 'at least one admin in the registration report (none is marked as admin)';
    return { ...base, status: 'unknown', reason: `Can't check: this needs ${needs}.`, needs };
  }
  const without = admins.filter((a) => !a.methodsRegistered.some((m) => PHISHING_RESISTANT.has(m)));
  const strength =
    'Whether sign-in requires it is a Conditional Access authentication strength, not checked here.';
  if (without.length === 0) {
    return {
      ...base,
      status: 'pass',
      reason: `${capital(everyAdmin(admins.length))} ${admins.length === 1 ? 'has' : 'have'} a security key, passkey or Windows Hello registered. ${strength}`,
    };
  }
  return {
    ...base,
    status: 'attention',
    reason: `${without.length} of ${plural(admins.length, 'admin')} have no security key, passkey or Windows Hello: ${shortList(without.map((a) => a.userPrincipalName))}.`,
    fix: {
      steps: [
        'Each admin registers a FIDO2 security key or passkey at https://aka.ms/mysecurityinfo.',
        'Then require it: Conditional Access → new policy → Users: Directory roles → Grant: Require authentication strength → Phishing-resistant MFA (report-only first).',
      ],
      requests: [],
    },
  };
}
