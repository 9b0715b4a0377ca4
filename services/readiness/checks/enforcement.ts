import type { ReadinessInputs } from '../gather';
import { CA_WRITE, ENTRA_LINKS, GRAPH_V1 } from '../links';
import type { CaPolicy } from '../policy-schemas';
import type { CheckResult, GraphRequest } from '../report';
import { groupName, lower, personName, plural, shortList, type CheckBase } from './common';

/**
 * Is MFA required of everyone, and is legacy sign-in (which can't do MFA) blocked? Either by
 * security defaults, or by Conditional Access policies that cover all users and all apps.
 */

const has = (values: readonly string[], wanted: string) =>
  values.some((v) => lower(v) === lower(wanted));

const coversEveryone = (p: CaPolicy) =>
  has(p.conditions.users.includeUsers, 'All') &&
  has(p.conditions.applications.includeApplications, 'All');

const allClientApps = (p: CaPolicy) =>
  p.conditions.clientAppTypes.length === 0 || has(p.conditions.clientAppTypes, 'all');

/** Grants access only after MFA: "mfa" (or an MFA strength) with no other way in beside it. */
function requiresMfa(p: CaPolicy): boolean {
  const grant = p.grantControls;
  if (!grant) return false;
  const mfa =
    has(grant.builtInControls, 'mfa') ||
    grant.authenticationStrength?.requirementsSatisfied === 'mfa';
  const alternatives = grant.builtInControls.filter((c) => lower(c) !== 'mfa');
  return mfa && !(lower(grant.operator ?? 'OR') === 'or' && alternatives.length > 0);
}

const blocksLegacy = (p: CaPolicy) =>
  has(p.grantControls?.builtInControls ?? [], 'block') &&
  has(p.conditions.clientAppTypes, 'exchangeActiveSync') &&
  has(p.conditions.clientAppTypes, 'other');

const label = (p: CaPolicy) => `"${p.displayName ?? p.id}"`;

/**
 * Who a policy leaves out besides the break-glass accounts (exclusion beats inclusion, so each of
 * these signs in without the policy).
 */
function extraExclusions(p: CaPolicy, inputs: ReadinessInputs): string[] {
  const breakGlass = new Set(
    inputs.breakGlass.ok ? inputs.breakGlass.value.map((a) => lower(a.id)) : [],
  );
  const out: string[] = [];
  const people = p.conditions.users.excludeUsers.filter((id) => !breakGlass.has(lower(id)));
  if (people.length)
    out.push(
      `${plural(people.length, 'account')} (${shortList(people.map((id) => personName(inputs, id)))})`,
    );
  for (const g of p.conditions.users.excludeGroups) {
    const members =
      inputs.exclusionGroup &&
      lower(inputs.exclusionGroup.id) === lower(g) &&
      inputs.exclusionGroup.members.ok
        ? inputs.exclusionGroup.members.value
        : null;
    const others = members?.filter((m) => !breakGlass.has(lower(m.id)));
    if (others && others.length === 0) continue;
    const who = others ? `: ${shortList(others.map((m) => m.userPrincipalName))}` : '';
    out.push(`everyone in ${groupName(inputs, g)}${who}`);
  }
  if (p.conditions.users.excludeRoles.length)
    out.push(`holders of ${plural(p.conditions.users.excludeRoles.length, 'admin role')}`);
  return out;
}

function exclusionsOf(inputs: ReadinessInputs) {
  if (inputs.breakGlass.ok && inputs.breakGlass.value.length)
    return { excludeUsers: inputs.breakGlass.value.map((a) => a.id), excludeGroups: [] };
  const group = inputs.settings.nudgeExcludeGroupId;
  return { excludeUsers: [], excludeGroups: group ? [group] : [] };
}

function newPolicy(
  inputs: ReadinessInputs,
  displayName: string,
  clientAppTypes: string[],
  control: string,
): GraphRequest {
  return {
    method: 'POST',
    url: `${GRAPH_V1}/identity/conditionalAccess/policies`,
    permission: CA_WRITE,
    summary: `Creates "${displayName}" in report-only mode, leaving out the break-glass accounts`,
    body: {
      displayName,
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: { includeUsers: ['All'], ...exclusionsOf(inputs) },
        applications: { includeApplications: ['All'] },
        clientAppTypes,
      },
      grantControls: { operator: 'OR', builtInControls: [control] },
    },
  };
}

const turnOn = (p: CaPolicy): GraphRequest => ({
  method: 'PATCH',
  url: `${GRAPH_V1}/identity/conditionalAccess/policies/${p.id}`,
  permission: CA_WRITE,
  summary: `Turns ${label(p)} on`,
  body: { state: 'enabled' },
});

const securityDefaultsOn: GraphRequest = {
  method: 'PATCH',
  url: `${GRAPH_V1}/policies/identitySecurityDefaultsEnforcementPolicy`,
  permission: 'Policy.ReadWrite.SecurityDefaults',
  summary: 'Turns security defaults on (only when no Conditional Access policy is in use)',
  body: { isEnabled: true },
};

const REPORT_ONLY = 'enabledForReportingButNotEnforced';

interface Enforcement {
  base: CheckBase;
  /** What the plan wants, as the reason says it when met: "MFA is required for everyone". */
  goal: string;
  /** When nothing meets it: "nothing requires MFA of everyone". */
  missing: string;
  matches: (p: CaPolicy) => boolean;
  create: (inputs: ReadinessInputs) => GraphRequest;
  caSteps: string[];
}

function evaluate(inputs: ReadinessInputs, e: Enforcement): CheckResult {
  const { base } = e;
  const sd = inputs.securityDefaults;
  if (sd.ok && sd.value.isEnabled) {
    return { ...base, status: 'pass', reason: `Security defaults are on: ${e.goal} by them.` };
  }
  const ca = inputs.conditionalAccess;
  if (!ca.ok) {
    const sdText = sd.ok ? 'Security defaults are off, and I' : 'I';
    const reason = `${sdText} can't see Conditional Access: this needs ${ca.gap.needs}.`;
    const fix =
      ca.gap.kind === 'licence'
        ? {
            steps: [
              'Without Entra ID P1, turn on security defaults: Overview → Properties → Manage security defaults → Enabled.',
            ],
            requests: [securityDefaultsOn],
          }
        : undefined;
    return { ...base, status: 'unknown', reason, needs: ca.gap.needs, ...(fix ? { fix } : {}) };
  }
  const candidates = ca.value.filter(e.matches);
  const enabled = candidates.find((p) => p.state === 'enabled');
  if (enabled) {
    const extra = extraExclusions(enabled, inputs);
    if (extra.length === 0)
      return { ...base, status: 'pass', reason: `${label(enabled)} is on: ${e.goal}.` };
    return {
      ...base,
      status: 'attention',
      reason: `${label(enabled)} is on, but it also leaves out ${shortList(extra, 2)}.`,
      fix: {
        steps: [
          `Conditional Access → ${label(enabled)} → Users → Exclude: keep only the break-glass accounts.`,
        ],
        requests: [],
      },
    };
  }
  const reportOnly = candidates.find((p) => p.state === REPORT_ONLY);
  if (reportOnly) {
    return {
      ...base,
      status: 'fail',
      reason: `${label(reportOnly)} is in report-only mode: it records sign-ins but requires nothing yet.`,
      fix: {
        steps: [`Conditional Access → ${label(reportOnly)} → Enable policy: On → Save.`],
        requests: [turnOn(reportOnly)],
      },
    };
  }
  const sdText = sd.ok ? 'Security defaults are off and no' : 'No';
  return {
    ...base,
    status: 'fail',
    reason: `${sdText} Conditional Access policy that is on covers all users and all apps: ${e.missing}.`,
    fix: { steps: e.caSteps, requests: [e.create(inputs)] },
  };
}

export function mfaRequired(inputs: ReadinessInputs): CheckResult {
  return evaluate(inputs, {
    base: {
      id: 'mfa-required',
      title: 'MFA required for everyone',
      risk: 'A stolen or guessed password is enough to open email and patient records.',
      fixUrl: ENTRA_LINKS.conditionalAccess,
    },
    goal: 'MFA is required for everyone',
    missing: 'nothing requires MFA of everyone',
    matches: (p) => coversEveryone(p) && allClientApps(p) && requiresMfa(p),
    create: (inputs) => newPolicy(inputs, 'Require MFA for all users', ['all'], 'mfa'),
    caSteps: [
      'Conditional Access → Create new policy from templates → "Require multifactor authentication for all users".',
      'Users → Exclude: the break-glass accounts.',
      'Start in report-only, check the sign-in logs for a few days, then set it to On.',
    ],
  });
}

export function legacyAuthBlocked(inputs: ReadinessInputs): CheckResult {
  return evaluate(inputs, {
    base: {
      id: 'legacy-auth-blocked',
      title: 'Legacy sign-in blocked',
      risk: 'Old mail apps and protocols cannot ask for MFA, so attackers use them to get around it with just a password.',
      fixUrl: ENTRA_LINKS.conditionalAccess,
    },
    goal: 'legacy sign-in is blocked',
    missing: 'old mail apps can still sign in with just a password',
    matches: (p) => coversEveryone(p) && blocksLegacy(p),
    create: (inputs) =>
      newPolicy(inputs, 'Block legacy authentication', ['exchangeActiveSync', 'other'], 'block'),
    caSteps: [
      'Conditional Access → Create new policy from templates → "Block legacy authentication".',
      'Users → Exclude: the break-glass accounts.',
      'Start in report-only; when no one shows up in the sign-in logs using old apps, set it to On.',
    ],
  });
}
