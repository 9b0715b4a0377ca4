import type { Chart } from 'chart.js';
import type { Api } from './api';
import { coverageChart, SERIES, trendChart } from './charts';
import { byId, formatDateTime, formatDay, h, percent, plural, replace } from './dom';
import type { CampaignSummary, CoverageRow, CoverageSummary, TicketSummary, Trend } from './types';

/** Coverage now, coverage over time, campaigns and open IT requests. */
export class Overview {
  private coverage: CoverageSummary | undefined;
  private trend: Trend | undefined;
  private charts: Chart[] = [];

  constructor(private readonly api: Api) {}

  async load(): Promise<void> {
    const [coverage, trend, campaigns, tickets] = await Promise.all([
      this.api.get<CoverageSummary>('/api/tab/coverage'),
      this.api.get<Trend>('/api/tab/trend?days=90'),
      this.api.get<CampaignSummary[]>('/api/tab/campaigns'),
      this.api.get<TicketSummary>('/api/tab/tickets'),
    ]);
    this.coverage = coverage;
    this.trend = trend;
    this.renderCoverage(coverage);
    this.renderTrend(trend);
    renderCampaigns(campaigns);
    renderTickets(tickets);
    this.redraw();
  }

  /** Draws the charts again with the current theme's colours. */
  redraw(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    if (this.coverage)
      this.charts.push(
        coverageChart(byId<HTMLCanvasElement>('coverage-chart'), rowsOf(this.coverage)),
      );
    if (this.trend)
      this.charts.push(trendChart(byId<HTMLCanvasElement>('trend-chart'), this.trend));
  }

  private renderCoverage(c: CoverageSummary): void {
    const o = c.overall;
    replace(
      byId('coverage-headline'),
      `${o.authenticator.toLocaleString('en-US')} of ${plural(o.total, 'person', 'people')} (${percent(o.authenticator, o.total)}) use Microsoft Authenticator.`,
    );
    byId('coverage-chart').setAttribute(
      'aria-label',
      `Bar chart of coverage by role group. ${o.authenticator} of ${o.total} people use Authenticator; the table below has every number.`,
    );
    replace(
      byId('coverage-table'),
      coverageTable(
        rowsOf(c),
        'coverage-table-caption',
        `Coverage by role group, as of ${formatDateTime(c.computedAt)}`,
      ),
    );
    const notCounted = [
      c.guests ? plural(c.guests, 'guest', 'guests') : '',
      c.excluded ? `${c.excluded} in the never-nudge group` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    replace(
      byId('coverage-note'),
      `As of ${formatDateTime(c.computedAt)}${c.stale ? ' (being updated now)' : ''}. ${notCounted ? `Not counted: ${notCounted}. ` : ''}Disabled accounts are not in Microsoft's registration report. People in several role groups count in each.`,
    );
  }

  private renderTrend(t: Trend): void {
    const first = t.points[0];
    const last = t.points[t.points.length - 1];
    if (!first || !last) {
      replace(byId('trend-headline'), 'No history yet: the first daily snapshot is taken today.');
    } else {
      replace(
        byId('trend-headline'),
        `On Authenticator: ${percent(first.authenticator, first.total)} on ${formatDay(first.date)}, ${percent(last.authenticator, last.total)} on ${formatDay(last.date)}.`,
      );
    }
    const summary = `Line chart of daily snapshots${first ? ` from ${formatDay(first.date)}` : ''}: people on Authenticator, on another method only, and with nothing yet. Dashed vertical lines mark the ${plural(t.markers.length, 'campaign', 'campaigns')} listed below.`;
    replace(byId('trend-summary'), summary);
    byId('trend-chart').setAttribute('aria-label', summary);
    replace(
      byId('trend-markers'),
      ...t.markers.map((m) =>
        h(
          'li',
          {},
          h('span', { class: 'marker-flag', 'aria-hidden': 'true' }, '▼ '),
          `${formatDay(m.date)}: ${m.label}`,
        ),
      ),
    );
    const table = h(
      'table',
      {},
      h('caption', {}, 'Daily coverage snapshots'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Day'),
          ...SERIES.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)),
          h('th', { scope: 'col', class: 'num' }, 'On Authenticator'),
        ),
      ),
      h(
        'tbody',
        {},
        ...t.points.map((p) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, formatDay(p.date)),
            ...SERIES.map((s) => h('td', { class: 'num' }, p[s.key])),
            h('td', { class: 'num' }, percent(p.authenticator, p.total)),
          ),
        ),
      ),
    );
    replace(byId('trend-table'), table);
  }
}

function rowsOf(c: CoverageSummary): CoverageRow[] {
  return [{ ...c.overall, name: 'Everyone' }, ...c.byRole];
}

export function coverageTable(
  rows: CoverageRow[],
  captionId: string,
  caption: string,
): HTMLTableElement {
  return h(
    'table',
    { class: 'coverage' },
    h('caption', { id: captionId }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Group'),
        h('th', { scope: 'col', class: 'num' }, 'People'),
        ...SERIES.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-group': r.name },
          h('th', { scope: 'row' }, r.name),
          h('td', { class: 'num', 'data-key': 'total' }, r.total),
          ...SERIES.map((s) =>
            h(
              'td',
              { class: 'num', 'data-key': s.key, 'data-value': r[s.key] },
              `${r[s.key]} (${percent(r[s.key], r.total)})`,
            ),
          ),
        ),
      ),
    ),
  );
}

const STATUS_LABELS: Record<CampaignSummary['status'], string> = {
  preparing: 'Getting ready',
  running: 'Sending',
  waiting: 'Sent, reminders to come',
  done: 'Finished',
  cancelled: 'Cancelled',
};

export function campaignsTable(campaigns: CampaignSummary[]): HTMLElement {
  if (!campaigns.length)
    return h(
      'p',
      { class: 'subtle' },
      'No nudges yet. Tick people in the list below to start one, or type "nudge" in the chat with the bot.',
    );
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, 'Nudge campaigns, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Campaign', 'State', 'Sent', 'Skipped', 'Failed', 'Registered within 7 days'].map(
          (t, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : undefined }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...campaigns.map((c) =>
        h(
          'tr',
          {},
          h(
            'th',
            { scope: 'row' },
            h('span', { class: 'strong' }, c.id),
            h('br'),
            h(
              'span',
              { class: 'subtle small' },
              `${formatDateTime(c.startedAt)} by ${c.startedBy}`,
            ),
            h('br'),
            h('span', { class: 'subtle small' }, c.what),
          ),
          h(
            'td',
            {},
            STATUS_LABELS[c.status],
            c.pending ? h('span', { class: 'subtle small' }, ` (${c.pending} to go)`) : null,
          ),
          h('td', { class: 'num' }, `${c.sent} of ${c.recipients}`),
          h('td', { class: 'num' }, c.skipped),
          h('td', { class: 'num' }, c.failed),
          h(
            'td',
            { class: 'num' },
            c.registeredIn7Days === undefined
              ? h('span', { class: 'subtle' }, `counted ${formatDay(c.countedOn)}`)
              : `${c.registeredIn7Days} (${percent(c.registeredIn7Days, c.recipients)})`,
          ),
        ),
      ),
    ),
  );
}

function renderCampaigns(campaigns: CampaignSummary[]): void {
  replace(byId('campaigns'), campaignsTable(campaigns));
}

export function ticketsView(t: TicketSummary): HTMLElement {
  const headline = t.open
    ? `${plural(t.open, 'request is', 'requests are')} open; the oldest has waited ${age(t.oldestMinutes ?? 0)}.`
    : 'No open requests. IT is all caught up.';
  return h(
    'div',
    {},
    h('p', { class: 'headline', id: 'tickets-headline' }, headline),
    t.open
      ? h(
          'table',
          {},
          h('caption', {}, 'Open requests by how long they have waited'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Waiting'),
              h('th', { scope: 'col', class: 'num' }, 'Requests'),
            ),
          ),
          h(
            'tbody',
            {},
            ...t.byAge.map((a) =>
              h('tr', {}, h('th', { scope: 'row' }, a.label), h('td', { class: 'num' }, a.count)),
            ),
          ),
        )
      : null,
    t.byKind.length
      ? h('p', { class: 'subtle' }, t.byKind.map((k) => `${k.label}: ${k.count}`).join(' · '))
      : null,
  );
}

function renderTickets(t: TicketSummary): void {
  replace(byId('tickets'), ticketsView(t));
}

function age(minutes: number): string {
  if (minutes < 60) return plural(minutes, 'minute', 'minutes');
  if (minutes < 48 * 60) return plural(Math.round(minutes / 60), 'hour', 'hours');
  return plural(Math.round(minutes / 1440), 'day', 'days');
}
