import { ApiError, type Api } from './api';
import { announce, byId, formatDateTime, h, percent, replace } from './dom';
import type { ReadinessCheck, ReadinessPanel, ReadinessStatus } from './types';

/**
 * Rollout readiness: the same checks as the bot's "readiness" card, read-only. It loads on its own
 * so a slow or unreachable Microsoft 365 never holds up the rest of the dashboard.
 */

const LABEL: Record<ReadinessStatus, string> = {
  pass: 'Pass',
  attention: 'Needs attention',
  fail: 'Fail',
  unknown: "Can't see this",
};

export class Readiness {
  constructor(private readonly api: Api) {}

  async load(fresh = false): Promise<void> {
    const panel = byId('readiness');
    panel.setAttribute('aria-busy', 'true');
    try {
      const body = fresh
        ? await this.api.post<ReadinessPanel>('/api/tab/readiness/refresh', {})
        : await this.api.get<ReadinessPanel>('/api/tab/readiness');
      replace(panel, readinessView(body));
      if (fresh) announce(`Readiness checked again: ${body.headline}.`);
    } catch (err) {
      const text =
        err instanceof ApiError && err.status === 503
          ? "Can't check now: Microsoft 365 isn't answering. Please try again in a few minutes."
          : err instanceof Error
            ? err.message
            : 'Could not check readiness.';
      replace(panel, h('p', { class: 'banner problem', role: 'alert' }, text));
    } finally {
      panel.removeAttribute('aria-busy');
    }
  }

  /** Wires "Check again now" and shows the last check (or a fresh one when none is recent). */
  start(): Promise<void> {
    byId('readiness-refresh').addEventListener('click', async (event) => {
      const button = event.currentTarget as HTMLButtonElement;
      button.disabled = true;
      announce("Checking the practice's settings in Microsoft 365…");
      try {
        await this.load(true);
      } finally {
        button.disabled = false;
      }
    });
    return this.load();
  }
}

export function readinessView(r: ReadinessPanel): HTMLElement {
  const blocking = r.blocking
    .map((id) => r.checks.find((c) => c.id === id))
    .filter((c): c is ReadinessCheck => Boolean(c));
  return h(
    'div',
    {},
    h(
      'p',
      { class: `headline ${r.ready ? 'status-pass' : 'status-fail'}`, id: 'readiness-headline' },
      r.headline,
    ),
    h(
      'p',
      { class: 'subtle' },
      `As of ${formatDateTime(r.generatedAt)}.`,
      r.coverage
        ? ` Staff on Microsoft Authenticator: ${r.coverage.authenticator} of ${r.coverage.total} (${percent(r.coverage.authenticator, r.coverage.total)}).`
        : '',
      ' The bot only reads these settings: IT makes any change.',
    ),
    blocking.length
      ? h(
          'div',
          {},
          h('h3', {}, 'Blocking, in the order to fix them'),
          h(
            'ol',
            {},
            ...blocking.map((c) => h('li', {}, h('strong', {}, c.title), `: ${c.reason}`)),
          ),
        )
      : null,
    h('h3', {}, 'Every check'),
    h('ul', { class: 'checks', id: 'readiness-checks' }, ...r.checks.map(checkItem)),
  );
}

function checkItem(c: ReadinessCheck): HTMLElement {
  return h(
    'li',
    { 'data-check': c.id },
    h(
      'p',
      { class: 'check-title' },
      h('strong', {}, c.title),
      ' ',
      h('span', { class: `status status-${c.status}` }, LABEL[c.status]),
    ),
    h('p', {}, c.reason),
    c.needs ? h('p', { class: 'small' }, `To see this, the bot needs ${c.needs}.`) : null,
    h('p', { class: 'small subtle' }, `Risk: ${c.risk}`),
    h(
      'p',
      { class: 'small' },
      h(
        'a',
        { href: c.fixUrl, target: '_blank', rel: 'noopener noreferrer' },
        'Where to fix it',
        h('span', { class: 'visually-hidden' }, `: ${c.title}`),
      ),
    ),
  );
}
