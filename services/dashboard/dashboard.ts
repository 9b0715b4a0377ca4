import type { Clock } from '../clock';
import { campaignSummaries, type CampaignSource, type CampaignSummary } from './campaigns';
import type { CoverageSummary, CoverageView, PeoplePage, PeopleQuery } from './coverage-view';
import { peopleCsv } from './csv';
import { trend, type Trend } from './history';
import type { SnapshotStore } from './snapshots';
import { ticketSummary, type TicketSource, type TicketSummary } from './tickets';

export interface DashboardDeps {
  coverage: CoverageView;
  snapshots: SnapshotStore;
  campaigns: CampaignSource;
  tickets: TicketSource;
  clock: Clock;
}

/** Everything the coverage dashboard shows, as data (the tab draws it). */
export class Dashboard {
  constructor(private readonly d: DashboardDeps) {}

  coverage(): Promise<CoverageSummary> {
    return this.d.coverage.summary();
  }

  /** Scans the directory now, then answers like coverage(). */
  async refresh(): Promise<CoverageSummary> {
    await this.d.coverage.rebuild();
    return this.d.coverage.summary();
  }

  people(query: PeopleQuery): Promise<PeoplePage> {
    return this.d.coverage.people(query);
  }

  /** The current list as CSV, named for the day of the report. */
  async peopleCsv(): Promise<{ filename: string; body: string }> {
    const coverage = await this.d.coverage.current();
    return {
      filename: `not-on-authenticator-${coverage.computedAt.slice(0, 10)}.csv`,
      body: peopleCsv(coverage),
    };
  }

  trend(days: number): Promise<Trend> {
    return trend(this.d.snapshots, this.d.campaigns, this.d.clock.now(), days);
  }

  campaigns(): Promise<CampaignSummary[]> {
    return campaignSummaries(this.d.campaigns);
  }

  tickets(): Promise<TicketSummary> {
    return ticketSummary(this.d.tickets, this.d.clock.now());
  }
}
