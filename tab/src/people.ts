import type { Api } from './api';
import { announce, byId, h, plural, replace } from './dom';
import { NudgeDialog } from './nudge';
import type { CoverageSummary, Me, PeoplePage, Person } from './types';

const PAGE_SIZE = 25;
const STANDING = { other: 'Another method only', none: 'No second method' } as const;

/** The people not on Authenticator: search, filter by group, pages, and ticking people to nudge. */
export class PeopleList {
  private page = 0;
  private readonly selected = new Map<string, Person>();
  private current: PeoplePage | undefined;
  private readonly dialog: NudgeDialog | undefined;
  private searchTimer = 0;
  private requests = 0;

  constructor(
    private readonly api: Api,
    private readonly me: Me,
    onLaunched: () => void,
  ) {
    this.dialog = me.canNudge
      ? new NudgeDialog(
          api,
          me,
          () => [...this.selected.values()],
          () => {
            this.selected.clear();
            void this.load();
            onLaunched();
          },
        )
      : undefined;
    const form = byId<HTMLFormElement>('people-filter');
    form.addEventListener('submit', (e) => e.preventDefault());
    byId('search').addEventListener('input', () => {
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.reload(), 250);
    });
    byId('group').addEventListener('change', () => this.reload());
    byId('standing').addEventListener('change', () => this.reload());
  }

  async load(): Promise<void> {
    const coverage = await this.api.get<CoverageSummary>('/api/tab/coverage');
    const select = byId<HTMLSelectElement>('group');
    const chosen = select.value;
    replace(
      select,
      h('option', { value: '' }, 'All groups'),
      ...coverage.groups.map((g) => h('option', { value: g }, g)),
    );
    select.value = coverage.groups.includes(chosen) ? chosen : '';
    await this.fetchPage();
  }

  private reload(): void {
    this.page = 0;
    void this.fetchPage().then(() =>
      announce(`${plural(this.current?.total ?? 0, 'person matches', 'people match')}.`),
    );
  }

  private async fetchPage(): Promise<void> {
    const params = new URLSearchParams({ page: String(this.page), pageSize: String(PAGE_SIZE) });
    for (const name of ['search', 'group', 'standing']) {
      const value = (byId<HTMLInputElement>(name).value ?? '').trim();
      if (value) params.set(name, value);
    }
    // Answers can arrive out of order (a filter changed while the first page loaded): only the
    // newest request may draw the table, or the list would not match the filters shown.
    const request = ++this.requests;
    const page = await this.api.get<PeoplePage>(`/api/tab/people?${params.toString()}`);
    if (request !== this.requests) return;
    this.current = page;
    this.render();
  }

  private render(): void {
    const p = this.current!;
    const canSelect = this.me.canNudge;
    const allOnPage = p.people.length > 0 && p.people.every((x) => this.selected.has(x.id));
    const table = h(
      'table',
      { class: 'people' },
      h(
        'caption',
        {},
        `${plural(p.total, 'person', 'people')} not on Authenticator${p.pages > 1 ? `, page ${p.page + 1} of ${p.pages}` : ''}`,
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          canSelect
            ? h(
                'th',
                { scope: 'col', class: 'check' },
                h('input', {
                  type: 'checkbox',
                  id: 'select-page',
                  'aria-label': 'Tick everyone on this page',
                  checked: allOnPage,
                  onchange: (e: Event) => this.tickPage((e.target as HTMLInputElement).checked),
                }),
              )
            : null,
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Sign-in name'),
          h('th', { scope: 'col' }, 'Role groups'),
          h('th', { scope: 'col' }, 'Standing'),
        ),
      ),
      h(
        'tbody',
        {},
        ...p.people.map((person) =>
          h(
            'tr',
            {},
            canSelect
              ? h(
                  'td',
                  { class: 'check' },
                  h('input', {
                    type: 'checkbox',
                    id: `pick-${person.id}`,
                    'aria-label': `Tick ${person.name}`,
                    checked: this.selected.has(person.id),
                    onchange: (e: Event) =>
                      this.tick(person, (e.target as HTMLInputElement).checked),
                  }),
                )
              : null,
            h('th', { scope: 'row' }, person.name),
            h('td', {}, person.upn),
            h('td', {}, person.groups.join(', ') || 'No role group'),
            h('td', {}, STANDING[person.standing]),
          ),
        ),
      ),
    );
    replace(
      byId('people'),
      p.total
        ? table
        : h(
            'p',
            { class: 'subtle' },
            'Nobody matches. Everyone counted here is on Authenticator, or try another filter.',
          ),
    );
    this.renderPager();
    this.renderSelection();
  }

  private renderPager(): void {
    const p = this.current!;
    const go = (page: number) => () => {
      this.page = page;
      void this.fetchPage().then(() => {
        announce(`Page ${this.page + 1} of ${p.pages}.`);
        byId('people-heading').focus();
      });
    };
    replace(
      byId('pager'),
      p.pages > 1
        ? h(
            'nav',
            { 'aria-label': 'Pages of the list' },
            h(
              'button',
              { type: 'button', disabled: p.page === 0, onclick: go(p.page - 1) },
              'Previous page',
            ),
            h('span', { class: 'subtle' }, ` Page ${p.page + 1} of ${p.pages} `),
            h(
              'button',
              { type: 'button', disabled: p.page >= p.pages - 1, onclick: go(p.page + 1) },
              'Next page',
            ),
          )
        : null,
    );
  }

  private renderSelection(): void {
    if (!this.me.canNudge) {
      replace(
        byId('selection'),
        h(
          'p',
          { class: 'subtle' },
          'IT can see this list; practice admins can tick people and nudge them.',
        ),
      );
      return;
    }
    const n = this.selected.size;
    replace(
      byId('selection'),
      h(
        'span',
        { 'aria-live': 'polite' },
        n ? `${plural(n, 'person', 'people')} ticked.` : 'Tick people to nudge them.',
      ),
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'nudge-open',
          disabled: n === 0,
          onclick: () => this.dialog?.open(),
        },
        n ? `Nudge ${plural(n, 'person', 'people')}…` : 'Nudge ticked people…',
      ),
      n ? h('button', { type: 'button', onclick: () => this.clear() }, 'Clear ticks') : null,
    );
  }

  private tick(person: Person, on: boolean): void {
    if (on) this.selected.set(person.id, person);
    else this.selected.delete(person.id);
    this.render();
    byId(`pick-${person.id}`).focus();
  }

  private tickPage(on: boolean): void {
    for (const person of this.current?.people ?? []) {
      if (on) this.selected.set(person.id, person);
      else this.selected.delete(person.id);
    }
    this.render();
    byId('select-page').focus();
  }

  private clear(): void {
    this.selected.clear();
    this.render();
    announce('Ticks cleared.');
  }
}
