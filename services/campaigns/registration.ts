import type { Clock } from '../clock';
import {
  isDirectoryError,
  type Directory,
  type RegistrationDetail,
  type RegistrationFilter,
} from '../directory/types';
import type { Logger } from '../logger';
import type { WindowLimiter } from '../window-limiter';

/**
 * Whether someone is on Authenticator, as campaigns decide it. Graph counts the registration
 * report and each person's method list against one small limit (5 requests per 10 seconds per
 * app per tenant), which IT's recovery actions need too. So campaigns read through `reads`, their
 * own share of that limit, and:
 * - take the report for everyone at once (one paged query for the people on Authenticator),
 *   again only once it is older than `reportMaxAgeMs`; the report itself lags by hours;
 * - check a person live right before their nudge when the share has a call free at that moment,
 *   and otherwise go by the report. A live answer always wins: it is current.
 */

export interface ReportView {
  /** Ids of the people the report shows on Authenticator. */
  registered: ReadonlySet<string>;
  /** The newest change the report shows (its rows' lastUpdatedDateTime), if any. */
  updatedAt: string | null;
  readAt: string;
}

export interface Standing {
  registered: boolean;
  /** Checked live just now, or taken from the registration report. */
  by: 'live' | 'report';
}

export interface RegistrationChecksDeps {
  directory: Pick<Directory, 'registrationPages' | 'authenticatorDevices'>;
  /** The campaigns' share of Graph's reports limit. */
  reads: WindowLimiter;
  clock: Clock;
  logger: Logger;
  reportMaxAgeMs: number;
}

/** The newest of the rows' lastUpdatedDateTime, or the one given. */
export function newestUpdate(
  rows: readonly RegistrationDetail[],
  since: string | null,
): string | null {
  let newest = since;
  for (const r of rows)
    if (r.lastUpdatedDateTime && (!newest || r.lastUpdatedDateTime > newest))
      newest = r.lastUpdatedDateTime;
  return newest;
}

export class RegistrationChecks {
  private current?: { view: ReportView; at: number };
  private reading?: Promise<ReportView>;

  constructor(private readonly deps: RegistrationChecksDeps) {}

  /** The registration report, page by page, each page asked for within the campaigns' share. */
  registrationPages(filter?: RegistrationFilter): AsyncIterable<RegistrationDetail[]> {
    return this.deps.directory.registrationPages(filter, {
      beforeRequest: () => this.deps.reads.take(),
    });
  }

  /** Who the report shows on Authenticator; read again once older than reportMaxAgeMs. */
  report(): Promise<ReportView> {
    const now = this.deps.clock.now().getTime();
    if (this.current && now - this.current.at < this.deps.reportMaxAgeMs)
      return Promise.resolve(this.current.view);
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  /** A report just read for something else (a campaign's preview): campaigns use it too. */
  remember(view: ReportView): void {
    const at = Date.parse(view.readAt);
    if (!this.current || at > this.current.at) this.current = { view, at };
  }

  /**
   * Right before a nudge: live when a call is free now, else the report. Throws a DirectoryError
   * when neither could be had (the report could not be read), or when the person is gone.
   */
  async beforeNudge(userId: string): Promise<Standing> {
    if (this.deps.reads.tryTake()) {
      try {
        return {
          registered: (await this.deps.directory.authenticatorDevices(userId)).length > 0,
          by: 'live',
        };
      } catch (err) {
        if (!isDirectoryError(err) || err.kind === 'not-found') throw err;
        this.deps.logger.info(
          { kind: err.kind },
          'live registration check failed; going by the registration report',
        );
      }
    }
    const report = await this.report();
    return { registered: report.registered.has(userId), by: 'report' };
  }

  private async read(): Promise<ReportView> {
    const registered = new Set<string>();
    let updatedAt: string | null = null;
    for await (const page of this.registrationPages({ authenticatorRegistered: true })) {
      for (const r of page) registered.add(r.id);
      updatedAt = newestUpdate(page, updatedAt);
    }
    const at = this.deps.clock.now();
    const view: ReportView = { registered, updatedAt, readAt: at.toISOString() };
    this.current = { view, at: at.getTime() };
    return view;
  }
}
