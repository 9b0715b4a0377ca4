import { NO_ROLE_GROUP, type Coverage, type CoverageRow } from '../campaigns/coverage';
import { HOUR, type Clock } from '../clock';
import type { Logger } from '../logger';

/**
 * The coverage report as the dashboard reads it. The report itself is built and stored by the
 * campaigns code (a directory scan, seconds for a large practice); this keeps the last one parsed
 * in memory so each tab request answers from memory, looks at the store again at most every
 * RECHECK_MS (the bot's "status" may have stored a newer one) and rebuilds it in the background
 * once it is older than STALE_MS.
 */

/** What the dashboard needs of the coverage report (CoverageCache in services/campaigns). */
export interface CoverageSource {
  cached(): Promise<Coverage | undefined>;
  refresh(): Promise<{ coverage: Coverage }>;
}

const RECHECK_MS = 30_000;
/** Same age as the bot's "status" treats as stale. */
const STALE_MS = HOUR;

type Standing = 'other' | 'none';
type Person = Coverage['notRegistered'][number];

export interface CoverageSummary {
  computedAt: string;
  /** Older than an hour: a fresh one is being built. */
  stale: boolean;
  overall: CoverageRow;
  byRole: CoverageRow[];
  guests: number;
  excluded: number;
  /** Role group names people can be filtered by (including "No role group" when anyone has none). */
  groups: string[];
}

export interface PeopleQuery {
  search?: string;
  group?: string;
  standing?: Standing;
  page?: number;
  pageSize?: number;
}

export interface PeoplePage {
  computedAt: string;
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  people: Person[];
}

export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 25;

export class CoverageView {
  private held: { coverage: Coverage; checkedAt: number } | undefined;
  private rebuilding: Promise<Coverage> | undefined;

  constructor(
    private readonly source: CoverageSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The current report: from memory, the store, or (when there is none yet) a scan now. */
  async current(): Promise<Coverage> {
    const now = this.clock.now().getTime();
    if (!this.held || now - this.held.checkedAt >= RECHECK_MS) {
      const stored = await this.source.cached();
      if (stored) this.hold(stored);
    }
    if (!this.held) return this.rebuild();
    if (now - Date.parse(this.held.coverage.computedAt) > STALE_MS) {
      void this.rebuild().catch((err: unknown) =>
        this.logger.warn({ err }, 'could not rebuild the coverage report'),
      );
    }
    return this.held.coverage;
  }

  /** Scans the directory now (one scan at a time, whoever asks). */
  rebuild(): Promise<Coverage> {
    this.rebuilding ??= this.source
      .refresh()
      .then(({ coverage }) => this.hold(coverage))
      .finally(() => {
        this.rebuilding = undefined;
      });
    return this.rebuilding;
  }

  async summary(): Promise<CoverageSummary> {
    const c = await this.current();
    return {
      computedAt: c.computedAt,
      stale: this.clock.now().getTime() - Date.parse(c.computedAt) > STALE_MS,
      overall: c.overall,
      byRole: c.byRole,
      guests: c.guests,
      excluded: c.excluded,
      groups: c.byRole.map((r) => r.name),
    };
  }

  async people(query: PeopleQuery): Promise<PeoplePage> {
    const c = await this.current();
    const matching = filterPeople(c.notRegistered, query);
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, query.pageSize ?? DEFAULT_PAGE_SIZE));
    const pages = Math.max(1, Math.ceil(matching.length / pageSize));
    const page = Math.min(Math.max(0, query.page ?? 0), pages - 1);
    return {
      computedAt: c.computedAt,
      total: matching.length,
      page,
      pageSize,
      pages,
      people: matching.slice(page * pageSize, (page + 1) * pageSize),
    };
  }

  private hold(coverage: Coverage): Coverage {
    if (!this.held || this.held.coverage.computedAt <= coverage.computedAt) {
      this.held = { coverage, checkedAt: this.clock.now().getTime() };
    } else {
      this.held.checkedAt = this.clock.now().getTime();
    }
    return this.held.coverage;
  }
}

/** People matching a search (name or sign-in name), a role group and a standing, in name order. */
function filterPeople(
  people: readonly Person[],
  query: Omit<PeopleQuery, 'page' | 'pageSize'>,
): Person[] {
  const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const noGroup = query.group === NO_ROLE_GROUP;
  return people.filter((p) => {
    if (query.standing && p.standing !== query.standing) return false;
    if (query.group && !(noGroup ? p.groups.length === 0 : p.groups.includes(query.group)))
      return false;
    if (!words.length) return true;
    const text = `${p.name} ${p.upn}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
