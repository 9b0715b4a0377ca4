import type { Logger } from '../logger';
import type { MonitorStatus } from '../signins/status';
import {
  isDirectoryError,
  type Directory,
  type GroupMember,
  type RegistrationDetail,
} from '../directory/types';
import { AREAS, attempt, type Outcome } from './gaps';
import type { PolicyReader } from './policy-reader';
import type { CaPolicy, MethodsPolicy, SecurityDefaults } from './policy-schemas';

/** Reads everything the checks look at, once; each failure is kept as a gap (see gaps.ts). */

export type { Gap } from './gaps';

/** The directory calls the readiness check makes (all reads). */
export type ReadinessDirectory = Pick<
  Directory,
  'registrationPages' | 'groupMemberPages' | 'memberGroups' | 'getGroup'
>;

export interface ReadinessSettings {
  /** The never-nudge group, which holds the break-glass accounts (NUDGE_EXCLUDE_GROUP_ID). */
  nudgeExcludeGroupId?: string;
  /** The lifetime the bot asks for when IT issues a pass (TAP_LIFETIME_MINUTES). */
  tapLifetimeMinutes: number;
  /** Most admins whose per-user MFA is read, one Graph call each; default 25. */
  perUserMfaLimit?: number;
}

export interface BreakGlassAccount {
  id: string;
  upn: string;
  name: string;
  /** Which of the groups Conditional Access policies exclude this account is in. */
  inExcludedGroups: string[];
}

interface PerUserMfa {
  /** Admins whose setting was read. */
  checked: Array<{ id: string; upn: string; state: string }>;
  /** Admins in the report (more than were read when the limit cut in). */
  admins: number;
}

export interface ReadinessInputs {
  securityDefaults: Outcome<SecurityDefaults>;
  conditionalAccess: Outcome<CaPolicy[]>;
  methods: Outcome<MethodsPolicy>;
  registrations: Outcome<RegistrationDetail[]>;
  /** Null when no never-nudge group is configured. */
  exclusionGroup: { id: string; members: Outcome<GroupMember[]> } | null;
  /** Admins in the never-nudge group; a gap when the group, report or policies can't be read. */
  breakGlass: Outcome<BreakGlassAccount[]>;
  perUserMfa: Outcome<PerUserMfa>;
  /** Display names of the groups the checks mention, where they could be read. */
  groupNames: Map<string, string>;
  settings: ReadinessSettings;
  /** The sign-in monitor's last state (undefined: it has not run); absent when not asked. */
  monitor?: { status: MonitorStatus | undefined };
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

const lower = (s: string) => s.toLowerCase();

export interface GatherDeps {
  policies: PolicyReader;
  directory: ReadinessDirectory;
  settings: ReadinessSettings;
  logger: Logger;
  /** The sign-in monitor's state as it stored it (the bot passes it; the check needs no Graph call). */
  monitor?: { status(): Promise<MonitorStatus | undefined> };
}

/** The Authenticator configuration's feature settings, read on their own when the list left them out. */
async function withAuthenticatorFeatures(
  policies: PolicyReader,
  policy: MethodsPolicy,
): Promise<MethodsPolicy> {
  const configs = policy.authenticationMethodConfigurations;
  const index = configs.findIndex((c) => lower(c.id) === 'microsoftauthenticator');
  if (index === -1 || configs[index]!.featureSettings) return policy;
  const own = await policies.methodConfiguration(configs[index]!.id);
  const next = [...configs];
  next[index] = own;
  return { ...policy, authenticationMethodConfigurations: next };
}

export async function gatherInputs(deps: GatherDeps): Promise<ReadinessInputs> {
  const { policies, directory, settings } = deps;
  // One after another: the report is throttled hard (5 requests per 10 s per app per tenant), and
  // the whole read is a few calls for a practice.
  // The first read is also the probe: when Graph is down or throttling the bot, every other read
  // would fail the same way, so the whole check says "can't check now" instead of a page of
  // "can't see this" that reads like a finding.
  const securityDefaults = await attempt(AREAS.policies, () => policies.securityDefaults(), {
    outage: 'throw',
  });
  const conditionalAccess = await attempt(AREAS.conditionalAccess, () =>
    policies.conditionalAccessPolicies(),
  );
  const methods = await attempt(AREAS.policies, async () =>
    withAuthenticatorFeatures(policies, await policies.authenticationMethodsPolicy()),
  );
  const registrations = await attempt(AREAS.report, () => collect(directory.registrationPages()));
  const groupId = settings.nudgeExcludeGroupId;
  const exclusionGroup = groupId
    ? {
        id: groupId,
        members: await attempt(AREAS.groups, () => collect(directory.groupMemberPages(groupId))),
      }
    : null;
  const breakGlass = await findBreakGlass(
    directory,
    exclusionGroup,
    registrations,
    conditionalAccess,
  );
  const perUserMfa = await readPerUserMfa(policies, registrations, settings.perUserMfaLimit ?? 25);
  const groupNames = await nameGroups(
    directory,
    groupIdsToName(conditionalAccess, methods, groupId),
  );
  deps.logger.info(
    {
      gaps: Object.entries({
        securityDefaults,
        conditionalAccess,
        methods,
        registrations,
        breakGlass,
        perUserMfa,
      })
        .filter(([, o]) => !o.ok)
        .map(([k]) => k),
    },
    'readiness inputs read',
  );
  return {
    securityDefaults,
    conditionalAccess,
    methods,
    registrations,
    exclusionGroup,
    breakGlass,
    perUserMfa,
    groupNames,
    settings,
    ...(deps.monitor ? { monitor: { status: await deps.monitor.status() } } : {}),
  };
}

async function findBreakGlass(
  directory: ReadinessDirectory,
  group: ReadinessInputs['exclusionGroup'],
  registrations: Outcome<RegistrationDetail[]>,
  conditionalAccess: Outcome<CaPolicy[]>,
): Promise<Outcome<BreakGlassAccount[]>> {
  if (!group) {
    return {
      ok: false,
      gap: {
        kind: 'setting',
        needs:
          'NUDGE_EXCLUDE_GROUP_ID set to the group that holds the emergency (break-glass) accounts',
      },
    };
  }
  if (!group.members.ok) return group.members;
  if (!registrations.ok) return registrations;
  const admins = new Set(registrations.value.filter((r) => r.isAdmin).map((r) => lower(r.id)));
  const accounts = group.members.value.filter((m) => admins.has(lower(m.id)));
  const excludedGroups = conditionalAccess.ok
    ? [
        ...new Set(
          conditionalAccess.value.flatMap((p) => p.conditions.users.excludeGroups.map(lower)),
        ),
      ]
    : [];
  const out: BreakGlassAccount[] = [];
  for (const a of accounts) {
    const inGroups = excludedGroups.length
      ? await attempt(AREAS.groups, () => directory.memberGroups(a.id, excludedGroups))
      : ({ ok: true, value: [] } as const);
    if (!inGroups.ok) return inGroups;
    out.push({
      id: a.id,
      upn: a.userPrincipalName,
      name: a.displayName,
      inExcludedGroups: inGroups.value.map(lower),
    });
  }
  return { ok: true, value: out };
}

/**
 * Legacy per-user MFA can only be read one person at a time, so only admins are read (they are
 * the accounts most likely to have had it turned on), up to a limit.
 */
async function readPerUserMfa(
  policies: PolicyReader,
  registrations: Outcome<RegistrationDetail[]>,
  limit: number,
): Promise<Outcome<PerUserMfa>> {
  if (!registrations.ok) return registrations;
  const admins = registrations.value.filter((r) => r.isAdmin);
  const checked: PerUserMfa['checked'] = [];
  for (const admin of admins.slice(0, limit)) {
    const state = await attempt(AREAS.policies, () => policies.perUserMfaState(admin.id));
    if (!state.ok) return state;
    checked.push({ id: admin.id, upn: admin.userPrincipalName, state: state.value });
  }
  return { ok: true, value: { checked, admins: admins.length } };
}

const NAMED_TARGETS = new Set(['all_users', 'all']);

function groupIdsToName(
  ca: Outcome<CaPolicy[]>,
  methods: Outcome<MethodsPolicy>,
  exclusion?: string,
): string[] {
  const ids = new Set<string>(exclusion ? [lower(exclusion)] : []);
  if (ca.ok)
    for (const p of ca.value)
      for (const g of [...p.conditions.users.excludeGroups, ...p.conditions.users.includeGroups])
        ids.add(lower(g));
  if (methods.ok) {
    for (const c of methods.value.authenticationMethodConfigurations) {
      for (const t of [...c.includeTargets, ...c.excludeTargets])
        if (t.targetType !== 'user') ids.add(lower(t.id));
    }
    const campaign =
      methods.value.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
    for (const t of [...(campaign?.includeTargets ?? []), ...(campaign?.excludeTargets ?? [])])
      ids.add(lower(t.id));
  }
  return [...ids].filter((id) => !NAMED_TARGETS.has(id) && /^[0-9a-f-]{36}$/.test(id)).slice(0, 20);
}

async function nameGroups(
  directory: ReadinessDirectory,
  ids: string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    try {
      names.set(id, (await directory.getGroup(id)).displayName);
    } catch (err) {
      // A name is a nicety: without it the card shows the group's id.
      if (!isDirectoryError(err)) throw err;
    }
  }
  return names;
}
