import { isDirectoryError } from '../directory/types';
import type { Logger } from '../logger';
import type { ReportsBudget, Sleep } from './budget';
import type { PageRequest, ReadPage } from './graph-reader';
import type { MonitorSettings } from './model';
import { blindness, transientIssue, type MonitorIssue } from './status';

/**
 * How the monitor asks Graph: every request to the sign-in log first takes a turn of the reports
 * budget; a 429 waits as long as Retry-After says (and tells the budget), a 503/504 backs off,
 * both a few times at most. What still fails is sorted into "blind" (no licence, no permission)
 * or "try again later", for the monitor's status.
 */

/** A guard against a next link that never ends; far beyond any practice's log. */
const MAX_PAGES = 1000;

/** Retries ran out, or Graph asked for a longer pause than one poll waits. */
class Retried extends Error {
  constructor(
    readonly issue: MonitorIssue,
    readonly retryAfterMs?: number,
  ) {
    super(issue);
  }
}

export interface Failure {
  issue: MonitorIssue;
  /** It will not get better by waiting: a licence or a permission is missing. */
  blind: boolean;
  retryAfterMs?: number;
}

export interface PoliteReadsDeps {
  budget: ReportsBudget;
  logger: Logger;
  sleep: Sleep;
  settings: Pick<MonitorSettings, 'pageSize' | 'maxRetries' | 'maxRetryAfterSeconds'>;
}

export class PoliteReads {
  constructor(private readonly deps: PoliteReadsDeps) {}

  /** Every page from `from` to `to`. `metered`: the reads count against the reports budget. */
  async all<T>(
    read: (request: PageRequest) => Promise<ReadPage<T>>,
    from: Date,
    to: Date,
    metered: boolean,
  ): Promise<T[]> {
    const items: T[] = [];
    let request: PageRequest = { from, to, pageSize: this.deps.settings.pageSize };
    for (let pages = 1; ; pages += 1) {
      const page = await this.send(() => read(request), metered);
      items.push(...page.items);
      if (!page.next || pages >= MAX_PAGES) return items;
      request = { next: page.next };
    }
  }

  /** Sends one request, waiting and retrying on 429 (as long as Retry-After says) and 503/504. */
  async send<T>(request: () => Promise<T>, metered: boolean): Promise<T> {
    const { budget, settings, logger } = this.deps;
    for (let attempt = 0; ; attempt += 1) {
      if (metered) await budget.acquire();
      try {
        return await request();
      } catch (err) {
        const throttled = isDirectoryError(err, 'throttled');
        if (!throttled && !isDirectoryError(err, 'unavailable')) throw err;
        const asked = throttled ? err.details.retryAfterSeconds : undefined;
        const waitMs = asked !== undefined ? asked * 1000 : 1000 * 2 ** attempt;
        // Risk detections are not under the reports throttle: their 429 leaves the budget alone.
        if (throttled && metered) budget.pause?.(waitMs);
        if (attempt >= settings.maxRetries || waitMs > settings.maxRetryAfterSeconds * 1000) {
          throw new Retried(transientIssue(err), throttled ? waitMs : undefined);
        }
        logger.warn(
          { attempt: attempt + 1, waitMs, throttled },
          'sign-in monitor waits before asking Graph again',
        );
        await this.deps.sleep(waitMs);
      }
    }
  }

  /**
   * What a failed read means for the monitor. `fraudReports`: it was the risk detections, not the
   * sign-in log. Anything but a Graph failure (storage, a bug) is thrown on: it is no state.
   */
  failure(err: unknown, fraudReports: boolean): Failure {
    if (err instanceof Retried) {
      return { issue: err.issue, blind: false, retryAfterMs: err.retryAfterMs };
    }
    if (!isDirectoryError(err)) throw err;
    const blind = blindness(err, fraudReports);
    if (blind) return { issue: blind, blind: true };
    if (err.kind === 'malformed-response' || err.kind === 'invalid-request') {
      this.deps.logger.error({ err: err.message }, 'sign-in monitor did not understand Graph');
      return { issue: 'unexpected-answer', blind: false };
    }
    return { issue: transientIssue(err), blind: false };
  }
}
