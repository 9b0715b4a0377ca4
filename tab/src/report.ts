import type { Api } from './api';
import { byId, formatDateTime, formatDay, h, percent, plural, replace } from './dom';
import { campaignsTable, coverageTable, ticketsView } from './overview';
import type {
  CampaignSummary,
  CoverageSummary,
  Me,
  PeoplePage,
  Person,
  TicketSummary,
  Trend,
} from './types';

/** How many names the printed report lists; the CSV has everyone. */
const PRINTED_PEOPLE = 500;

/**
 * The print view: one page an admin can print or save as PDF and file as evidence of the rollout
 * (coverage by group, the weekly trend, every campaign, open requests, who is not registered).
 */
export async function showReport(api: Api, me: Me): Promise<void> {
  const [coverage, trend, campaigns, tickets] = await Promise.all([
    api.get<CoverageSummary>('/api/tab/coverage'),
    api.get<Trend>('/api/tab/trend?days=366'),
    api.get<CampaignSummary[]>('/api/tab/campaigns'),
    api.get<TicketSummary>('/api/tab/tickets'),
  ]);
  const people: Person[] = [];
  let total = 0;
  for (let page = 0; people.length < PRINTED_PEOPLE; page += 1) {
    const p = await api.get<PeoplePage>(`/api/tab/people?page=${page}&pageSize=100`);
    total = p.total;
    people.push(...p.people);
    if (page >= p.pages - 1) break;
  }
  replace(
    byId('report-meta'),
    `Prepared ${formatDateTime(new Date().toISOString())} by ${me.name}${me.upn ? ` (${me.upn})` : ''}. Registrations as Microsoft 365 reported them at ${formatDateTime(coverage.computedAt)}.`,
  );
  const weekly = trend.points.filter((_, i) => (trend.points.length - 1 - i) % 7 === 0);
  replace(
    byId('report-body'),
    h('h3', {}, 'Coverage by role group'),
    coverageTable(
      [{ ...coverage.overall, name: 'Everyone' }, ...coverage.byRole],
      'report-coverage-caption',
      `As of ${formatDateTime(coverage.computedAt)}`,
    ),
    h('h3', {}, 'Coverage over time (weekly)'),
    weekly.length
      ? h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Day', 'People', 'Authenticator', 'Other method only', 'Nothing yet'].map(
                (t, i) => h('th', { scope: 'col', class: i ? 'num' : undefined }, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            ...weekly.map((p) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, formatDay(p.date)),
                h('td', { class: 'num' }, p.total),
                h(
                  'td',
                  { class: 'num' },
                  `${p.authenticator} (${percent(p.authenticator, p.total)})`,
                ),
                h('td', { class: 'num' }, p.other),
                h('td', { class: 'num' }, p.none),
              ),
            ),
          ),
        )
      : h('p', {}, 'No daily snapshots yet.'),
    trend.markers.length
      ? h('ul', {}, ...trend.markers.map((m) => h('li', {}, `${formatDay(m.date)}: ${m.label}`)))
      : null,
    h('h3', {}, 'Campaigns'),
    campaignsTable(campaigns),
    h('h3', {}, 'Open IT requests'),
    ticketsView(tickets),
    h('h3', {}, `Not on Microsoft Authenticator yet: ${plural(total, 'person', 'people')}`),
    people.length
      ? h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Name', 'Sign-in name', 'Role groups', 'Standing'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            ...people.map((p) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, p.name),
                h('td', {}, p.upn),
                h('td', {}, p.groups.join(', ') || 'No role group'),
                h('td', {}, p.standing === 'other' ? 'Another method only' : 'No second method'),
              ),
            ),
          ),
        )
      : h('p', {}, 'Everyone counted is on Authenticator.'),
    total > people.length
      ? h(
          'p',
          { class: 'subtle' },
          `…and ${total - people.length} more: download the CSV for the full list.`,
        )
      : null,
  );
  const dashboard = byId('dashboard');
  const report = byId('report');
  dashboard.hidden = true;
  report.hidden = false;
  document.body.dataset.view = 'print';
  byId('report-heading').setAttribute('tabindex', '-1');
  byId('report-heading').focus();
  byId('print-now').onclick = () => window.print();
  byId('report-back').onclick = () => {
    report.hidden = true;
    dashboard.hidden = false;
    document.body.dataset.view = 'dashboard';
    byId('print').focus();
  };
}
