import type { WeeklyDigest } from '../services/readiness/digest';
import { summarize, type CheckStatus, type ReadinessReport } from '../services/readiness/report';
import { dateAndTime, UTC, type TimeZone } from '../services/time';
import { expandCard, type CardJson, type TextColor } from './render';

/** The readiness card and the weekly digest card, from the service's data. */

// The icon carries good and bad: "Good" and "Warning" text is too faint on Teams' light theme.
const STATUS: Record<CheckStatus, { label: string; icon: string; color: TextColor }> = {
  pass: { label: 'pass', icon: '✅', color: 'Default' },
  attention: { label: 'needs attention', icon: '⚠️', color: 'Default' },
  fail: { label: 'fail', icon: '❌', color: 'Attention' },
  unknown: { label: "can't see this", icon: '❔', color: 'Attention' },
};

/** A card stays well under Teams' size limit: one request per admin could otherwise grow it. */
const MAX_REQUESTS = 3;

function moreRequests(id: string, count: number): string {
  if (count <= MAX_REQUESTS) return '';
  return `And ${count - MAX_REQUESTS} more like these: run "mfa-bot readiness --fix ${id}" for all of them.`;
}

const percent = (n: number, of: number) => (of ? Math.round((n / of) * 100) : 0);

/** What the card shows besides the report, for the person looking at it. */
export interface ReadinessView {
  /** IT see the exact change (portal steps, Graph requests) under each item. */
  showChange: boolean;
  /** For admins: whether they get the weekly digest (the card offers to change it). */
  digest?: 'on' | 'off';
  /** The dashboard tab, where the same checks are listed. */
  dashboardUrl?: string;
  notice?: string;
  /** The reader's time zone (default UTC), for when the checks were read. */
  zone?: TimeZone;
}

function readinessCardData(report: ReadinessReport, view: ReadinessView) {
  const summary = summarize(report);
  const coverage = report.coverage;
  const anyFix = report.checks.some((c) => c.fix);
  return {
    notice: view.notice ?? '',
    digest: view.digest ?? '',
    dashboardUrl: view.dashboardUrl ?? '',
    changeNote:
      anyFix && !view.showChange
        ? 'IT can see the exact change for each item (the steps in the Entra admin center, or the Graph request) by typing "readiness".'
        : '',
    asOf: `As of ${dateAndTime(report.generatedAt, view.zone ?? UTC)}`,
    headline: summary.headline,
    headlineColor: (summary.ready ? 'Default' : 'Attention') satisfies TextColor,
    blocking: summary.blocking.map((c, i) => ({ n: i + 1, title: c.title, reason: c.reason })),
    coverage: coverage
      ? `Staff on Microsoft Authenticator: ${coverage.authenticator} of ${coverage.total} (${percent(coverage.authenticator, coverage.total)}%).`
      : '',
    checks: report.checks.map((c) => ({
      title: c.title,
      statusLabel: STATUS[c.status].label,
      icon: STATUS[c.status].icon,
      color: STATUS[c.status].color,
      reason: c.reason,
      risk: c.risk,
      fixUrl: c.fixUrl,
      canShowChange: view.showChange && Boolean(c.fix),
      steps: (c.fix?.steps ?? []).map((text, i) => ({ text: `${i + 1}. ${text}` })),
      requests: (c.fix?.requests ?? []).slice(0, MAX_REQUESTS).map((r) => ({
        summary: r.summary,
        permission: r.permission,
        line: `${r.method} ${r.url}`,
        body: JSON.stringify(r.body),
      })),
      more: moreRequests(c.id, c.fix?.requests.length ?? 0),
    })),
  };
}

export function readinessCard(
  report: ReadinessReport,
  view: ReadinessView = { showChange: true },
): CardJson {
  return expandCard('readiness', readinessCardData(report, view));
}

const ARROW: Record<CheckStatus, string> = {
  pass: 'pass',
  attention: 'needs attention',
  fail: 'fail',
  unknown: "can't see",
};

function digestCardData(digest: WeeklyDigest) {
  const { now, authenticatorChange } = digest.coverage;
  const change =
    authenticatorChange === null
      ? ''
      : authenticatorChange === 0
        ? ', no change since last week'
        : `, ${Math.abs(authenticatorChange)} ${authenticatorChange > 0 ? 'more' : 'fewer'} than last week`;
  const monday = (d: string) =>
    new Date(`${d}T00:00:00Z`).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
  return {
    weekText: `Week of ${monday(digest.weekOf)}${digest.comparedWith ? ` (compared with the week of ${monday(digest.comparedWith)})` : ' (the first digest: nothing to compare yet)'}`,
    coverageLine: now
      ? `${now.authenticator} of ${now.total} staff (${percent(now.authenticator, now.total)}%)${change}`
      : "Can't see registrations this week",
    headline: digest.readiness.headline,
    ticketsLine: `${digest.tickets.open} open${digest.tickets.privileged ? ` (${digest.tickets.privileged} for admin or privileged accounts)` : ''}`,
    changes: digest.readiness.changes.map((c) => ({
      text: `${c.better ? '⬆️' : '⬇️'} ${c.title}: ${ARROW[c.from]} → ${ARROW[c.to]}`,
      color: (c.better ? 'Default' : 'Attention') satisfies TextColor,
    })),
    noChanges: digest.comparedWith
      ? 'No readiness changes since last week.'
      : 'Changes show from next week.',
    blocking: digest.readiness.blocking.map((c, i) => ({
      n: i + 1,
      title: c.title,
      reason: c.reason,
    })),
  };
}

export function digestCard(digest: WeeklyDigest): CardJson {
  return expandCard('readiness-digest', digestCardData(digest));
}
