import type { AuditLog } from '../audit/log';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { DocumentStore } from '../storage/types';
import { realSleep, type ReportsBudget, type Sleep } from './budget';
import { activityByUser, planForUser, type IncidentChange } from './detect';
import type { SignInReader } from './graph-reader';
import type { HoldoutStore } from './holdouts';
import { applyChange } from './incident-apply';
import type { IncidentStore } from './incident-store';
import { PoliteReads } from './polite-reads';
import {
  DEFAULT_MONITOR_SETTINGS,
  MINUTE_MS,
  type FraudReport,
  type Incident,
  type MonitorSettings,
  type SignInEvent,
} from './model';
import {
  readMonitorStatus,
  REASONS,
  saveMonitorStatus,
  type MonitorIssue,
  type MonitorState,
  type MonitorStatus,
} from './status';

/**
 * The sign-in monitor's poll: read the sign-in log and fraud reports since the cursor (reaching
 * back an overlap, for events recorded late), turn them into incidents, count text-code sign-ins,
 * then move the cursor. Each report request spends a turn of the reports budget; 429s wait as
 * long as Retry-After says. A restart re-reads the overlap, and incidents skip the events they
 * already count, so nothing is missed and nothing is told twice.
 */

export interface MonitorDeps {
  reader: SignInReader;
  budget: ReportsBudget;
  store: DocumentStore;
  incidents: IncidentStore;
  holdouts: HoldoutStore;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
  logger: Logger;
  settings?: Partial<MonitorSettings>;
  sleep?: Sleep;
}

export interface PollResult {
  status: MonitorStatus;
  /** The state or its reason changed with this poll: worth telling IT once. */
  statusChanged: boolean;
  signInsRead: number;
  fraudReportsRead: number;
  opened: Incident[];
  /** Existing incidents that just became urgent (a fraud report, a success after the burst). */
  escalated: Incident[];
  /** Existing incidents with more prompts (the shared card's count is out of date). */
  grown: Incident[];
  textCodeSignIns: number;
  /** Graph asked for a pause longer than one poll waits: poll again no sooner than this. */
  retryAfterMs?: number;
}

interface Cursor {
  /** Both logs have been read (and acted on) up to these instants. */
  signIns: string;
  fraudReports: string;
}

const MONITOR = 'signin-monitor';
const CURSOR_KEY = 'cursor';
export class SignInMonitor {
  private readonly settings: MonitorSettings;
  private readonly reads: PoliteReads;
  private running: Promise<PollResult> | undefined;

  constructor(private readonly deps: MonitorDeps) {
    this.settings = { ...DEFAULT_MONITOR_SETTINGS, ...deps.settings };
    this.reads = new PoliteReads({
      budget: deps.budget,
      logger: deps.logger,
      sleep: deps.sleep ?? realSleep,
      settings: this.settings,
    });
  }

  /** One poll; a poll asked for while one runs shares its result. */
  poll(): Promise<PollResult> {
    this.running ??= this.pollOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  status(): Promise<MonitorStatus | undefined> {
    return readMonitorStatus(this.deps.store);
  }

  /**
   * For the readiness check: can the monitor see, right now? One smallest read of each log,
   * nothing stored and nothing acted on.
   */
  async probe(): Promise<{
    state: MonitorState;
    issue: MonitorIssue | null;
    reason: string | null;
  }> {
    const to = this.deps.clock.now();
    const request = { from: new Date(to.getTime() - MINUTE_MS), to, pageSize: 1 };
    const verdict = (state: MonitorState, issue: MonitorIssue | null) => ({
      state,
      issue,
      reason: issue ? REASONS[issue] : null,
    });
    try {
      await this.reads.send(() => this.deps.reader.signInPage(request), true);
    } catch (err) {
      const failure = this.reads.failure(err, false);
      return verdict(failure.blind ? 'off' : 'failing', failure.issue);
    }
    try {
      await this.reads.send(() => this.deps.reader.fraudReportPage(request), false);
    } catch (err) {
      const failure = this.reads.failure(err, true);
      if (failure.blind) return verdict('partial', failure.issue);
    }
    return verdict('on', null);
  }

  private async pollOnce(): Promise<PollResult> {
    const { clock, store } = this.deps;
    const now = clock.now();
    const cursor = (await store.get<Cursor>(MONITOR, CURSOR_KEY))?.value;
    const start = new Date(now.getTime() - this.settings.firstLookbackMinutes * MINUTE_MS);
    const reach =
      Math.max(
        this.settings.overlapMinutes,
        this.settings.windowMinutes,
        this.settings.dangerMinutes,
      ) * MINUTE_MS;
    const from = (at: string | undefined) => (at ? new Date(Date.parse(at) - reach) : start);
    const empty = {
      signInsRead: 0,
      fraudReportsRead: 0,
      opened: [],
      escalated: [],
      grown: [],
      textCodeSignIns: 0,
    };

    let events: SignInEvent[];
    try {
      events = await this.reads.all(
        (r) => this.deps.reader.signInPage(r),
        from(cursor?.signIns),
        now,
        true,
      );
    } catch (err) {
      const failure = this.reads.failure(err, false);
      const state: MonitorState = failure.blind ? 'off' : 'failing';
      const status = await this.setStatus(state, failure.issue, cursor?.signIns ?? null);
      return {
        ...empty,
        ...status,
        ...(failure.retryAfterMs ? { retryAfterMs: failure.retryAfterMs } : {}),
      };
    }

    let reports: FraudReport[] = [];
    let reportsRead = true;
    let reportIssue: MonitorIssue | null = null;
    try {
      reports = await this.reads.all(
        (r) => this.deps.reader.fraudReportPage(r),
        from(cursor?.fraudReports),
        now,
        false,
      );
    } catch (err) {
      reportsRead = false;
      const failure = this.reads.failure(err, true);
      // Blind to fraud reports is a state IT should know; a passing failure is read again next time.
      if (failure.blind) reportIssue = failure.issue;
      else
        this.deps.logger.warn(
          { issue: failure.issue },
          'sign-in monitor could not read fraud reports this time',
        );
    }

    const acted = await this.act(
      events,
      reports,
      new Date(from(cursor?.signIns).getTime() - reach),
    );
    const textCodeSignIns = await this.deps.holdouts.record(events);
    await store.put<Cursor>(MONITOR, CURSOR_KEY, {
      signIns: now.toISOString(),
      // Unread fraud reports keep their cursor: once they can be read, nothing was skipped.
      fraudReports: reportsRead ? now.toISOString() : (cursor?.fraudReports ?? start.toISOString()),
    });
    const state: MonitorState = reportIssue ? 'partial' : 'on';
    const status = await this.setStatus(state, reportIssue, now.toISOString());
    this.deps.logger.debug(
      { signIns: events.length, fraudReports: reports.length, opened: acted.opened.length, state },
      'sign-in monitor poll',
    );
    return {
      ...status,
      signInsRead: events.length,
      fraudReportsRead: reports.length,
      ...acted,
      textCodeSignIns,
    };
  }

  private async act(
    events: SignInEvent[],
    reports: FraudReport[],
    handledSince: Date,
  ): Promise<Pick<PollResult, 'opened' | 'escalated' | 'grown'>> {
    const { incidents } = this.deps;
    const known = new Map<string, Incident[]>();
    for (const i of [
      ...(await incidents.listOpen()),
      ...(await incidents.handledSince(handledSince)),
    ]) {
      known.set(i.user.id, [...(known.get(i.user.id) ?? []), i]);
    }
    const changes: IncidentChange[] = [];
    for (const [userId, activity] of activityByUser(events, reports)) {
      const mine = known.get(userId) ?? [];
      if (!activity.prompts.length && !activity.reports.length && !mine.length) continue;
      changes.push(...planForUser(activity, mine, this.settings));
    }
    // Oldest first, so when the hour's cap is reached it is the latest attacks that wait.
    const startOf = (c: IncidentChange) =>
      [...c.prompts, ...c.reports, ...(c.danger ? [c.danger] : [])].map((e) => e.at).sort()[0] ??
      '';
    changes.sort((a, b) => startOf(a).localeCompare(startOf(b)));
    const opened: Incident[] = [];
    const escalated: Incident[] = [];
    const grown: Incident[] = [];
    for (const change of changes) {
      const applied = await applyChange({ ...this.deps, settings: this.settings }, change);
      if (applied.opened) opened.push(applied.incident);
      else if (applied.escalated) escalated.push(applied.incident);
      else if (applied.changed) grown.push(applied.incident);
    }
    return { opened, escalated, grown };
  }

  private async setStatus(
    state: MonitorState,
    issue: MonitorIssue | null,
    readThrough: string | null,
  ): Promise<{ status: MonitorStatus; statusChanged: boolean }> {
    const { store, clock, audit } = this.deps;
    const before = await readMonitorStatus(store);
    const now = clock.now().toISOString();
    const statusChanged = !before || before.state !== state || before.issue !== issue;
    const status: MonitorStatus = {
      state,
      issue,
      reason: issue ? REASONS[issue] : null,
      checkedAt: now,
      readThrough,
      since: statusChanged ? now : before.since,
    };
    await saveMonitorStatus(store, status);
    if (statusChanged) {
      await audit.append({
        actor: 'system',
        action: 'signins.monitor.status',
        target: 'sign-in-monitor',
        outcome: state === 'on' ? 'success' : state === 'partial' ? 'refused' : 'failed',
        ...(issue ? { reason: issue } : {}),
        details: { state },
      });
      const log = state === 'on' ? this.deps.logger.info : this.deps.logger.warn;
      log.call(this.deps.logger, { state, issue }, 'sign-in monitor state changed');
    }
    return { status, statusChanged };
  }
}
