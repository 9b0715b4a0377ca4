import type { Clock } from '../clock';
import { AUTHENTICATOR_METHOD, type Directory } from '../directory/types';
import type { DocumentStore } from '../storage/types';
import { newestUpdate } from './registration';

/**
 * Who is registered with what, built from the registration report (streamed page by page) and
 * the role groups' members. Guests and members of the never-nudge group are left out; disabled
 * accounts are not in the report at all. The report lags behind by up to a few hours, so every
 * figure carries the newest change it shows.
 */

/** What a scan reads: the report (within the campaigns' share of Graph's limit) and group members. */
export type ScanSource = Pick<Directory, 'registrationPages' | 'groupMemberPages'>;

/** The directory groups a campaign needs: role groups by name and the never-nudge group. */
export interface CampaignGroups {
  roles: Record<string, string>;
  nudgeExclude?: string;
}

type Standing = 'authenticator' | 'other' | 'none';

interface StaffEntry {
  id: string;
  upn: string;
  name: string;
  /** Role group names this person is in (transitively). */
  groups: string[];
  standing: Standing;
}

export interface Scan {
  entries: StaffEntry[];
  guests: number;
  excluded: number;
  scannedAt: string;
  /** The newest change the registration report showed (its rows' lastUpdatedDateTime). */
  reportUpdatedAt: string | null;
}

export interface CoverageRow {
  name: string;
  total: number;
  authenticator: number;
  other: number;
  none: number;
}

export interface Coverage {
  computedAt: string;
  /** The newest change the registration report showed; absent in reports kept before it was read. */
  reportUpdatedAt?: string | null;
  overall: CoverageRow;
  byRole: CoverageRow[];
  guests: number;
  excluded: number;
  /** Not on Authenticator yet, by name. */
  notRegistered: Array<
    Omit<StaffEntry, 'standing'> & { standing: Exclude<Standing, 'authenticator'> }
  >;
}

export const NO_ROLE_GROUP = 'No role group';

async function memberIds(directory: ScanSource, groupId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const page of directory.groupMemberPages(groupId)) for (const m of page) ids.add(m.id);
  return ids;
}

async function scanDirectory(
  directory: ScanSource,
  groups: CampaignGroups,
  clock: Clock,
): Promise<Scan> {
  const excludedIds = groups.nudgeExclude
    ? await memberIds(directory, groups.nudgeExclude)
    : new Set<string>();
  const rolesOf = new Map<string, string[]>();
  for (const [name, groupId] of Object.entries(groups.roles)) {
    for (const id of await memberIds(directory, groupId))
      rolesOf.set(id, [...(rolesOf.get(id) ?? []), name]);
  }
  const entries: StaffEntry[] = [];
  let guests = 0;
  let excluded = 0;
  let reportUpdatedAt: string | null = null;
  for await (const page of directory.registrationPages()) {
    reportUpdatedAt = newestUpdate(page, reportUpdatedAt);
    for (const r of page) {
      if (r.userType.toLowerCase() === 'guest') {
        guests += 1;
        continue;
      }
      if (excludedIds.has(r.id)) {
        excluded += 1;
        continue;
      }
      const standing: Standing = r.methodsRegistered.includes(AUTHENTICATOR_METHOD)
        ? 'authenticator'
        : r.isMfaRegistered
          ? 'other'
          : 'none';
      entries.push({
        id: r.id,
        upn: r.userPrincipalName,
        name: r.userDisplayName || r.userPrincipalName,
        groups: rolesOf.get(r.id) ?? [],
        standing,
      });
    }
  }
  return { entries, guests, excluded, scannedAt: clock.now().toISOString(), reportUpdatedAt };
}

function tally(name: string, entries: readonly StaffEntry[]): CoverageRow {
  const row: CoverageRow = { name, total: entries.length, authenticator: 0, other: 0, none: 0 };
  for (const e of entries) row[e.standing] += 1;
  return row;
}

function buildCoverage(scan: Scan, roleNames: readonly string[]): Coverage {
  const byRole = roleNames.map((name) =>
    tally(
      name,
      scan.entries.filter((e) => e.groups.includes(name)),
    ),
  );
  const unassigned = scan.entries.filter((e) => e.groups.length === 0);
  if (unassigned.length) byRole.push(tally(NO_ROLE_GROUP, unassigned));
  const notRegistered = scan.entries
    .filter(
      (e): e is StaffEntry & { standing: Exclude<Standing, 'authenticator'> } =>
        e.standing !== 'authenticator',
    )
    .map(({ id, upn, name, groups, standing }) => ({ id, upn, name, groups, standing }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.upn.localeCompare(b.upn));
  return {
    computedAt: scan.scannedAt,
    reportUpdatedAt: scan.reportUpdatedAt,
    overall: tally('Everyone', scan.entries),
    byRole,
    guests: scan.guests,
    excluded: scan.excluded,
    notRegistered,
  };
}

const REPORTS = 'campaign-reports';
const COVERAGE_KEY = 'coverage';

/** The last coverage report, kept with its time so "status" answers at once. */
export class CoverageCache {
  constructor(
    private readonly store: DocumentStore,
    private readonly directory: ScanSource,
    private readonly groups: CampaignGroups,
    private readonly clock: Clock,
  ) {}

  async cached(): Promise<Coverage | undefined> {
    return (await this.store.get<Coverage>(REPORTS, COVERAGE_KEY))?.value;
  }

  /** Scans the directory now and keeps the result. */
  async refresh(): Promise<{ scan: Scan; coverage: Coverage }> {
    const scan = await scanDirectory(this.directory, this.groups, this.clock);
    const coverage = await this.keep(scan);
    return { scan, coverage };
  }

  async keep(scan: Scan): Promise<Coverage> {
    const coverage = buildCoverage(scan, Object.keys(this.groups.roles));
    await this.store.put(REPORTS, COVERAGE_KEY, coverage);
    return coverage;
  }
}
