import '../styles.css';
import { ApiError, createApi, type Api } from './api';
import { connect, DEMO_AUTHORIZATION, asTheme, type Theme } from './auth';
import { announce, byId, h, replace } from './dom';
import { Overview } from './overview';
import { PeopleList } from './people';
import { Readiness } from './readiness';
import { showReport } from './report';
import { applyTheme } from './theme';
import type { Me } from './types';

/**
 * The dashboard page: sign in (Teams SSO, or the labelled demo sign-in outside Teams in the local
 * demo only), then the overview, the list of people not on Authenticator and the print view.
 */

async function start(): Promise<void> {
  const session = await connect();
  if (session.kind === 'teams') {
    applyTheme(session.theme);
    const api = createApi(session.authorization);
    const me = await signedIn(api);
    if (!me) return;
    const dashboard = await openDashboard(api, me);
    session.onThemeChange((theme) => setTheme(theme, dashboard));
    return;
  }
  // Outside Teams: only the local demo answers the demo sign-in (production says 401).
  const demo = createApi(async () => DEMO_AUTHORIZATION);
  try {
    const me = await demo.get<Me>('/api/tab/me');
    offerDemoSignIn(me, () => void openDemo(demo, me));
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      showSignIn(
        'Demo: this person cannot see the dashboard',
        'The local demo signs in as DEMO_USER, who is not a practice admin or in IT. Restart the demo with DEMO_USER set to a practice admin from the demo practice, for example DEMO_USER=diane.whitaker@riverbendfm.example npm start.',
      );
      return;
    }
    showSignIn(
      'Open this dashboard in Microsoft Teams',
      'This page belongs to the MFA Helper app. Open the app in Teams and choose the Dashboard tab; Teams signs you in.',
    );
  }
}

async function signedIn(api: Api): Promise<Me | undefined> {
  try {
    return await api.get<Me>('/api/tab/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      showSignIn(
        'This dashboard is for practice admins and IT',
        'If you think you should see it, ask your practice manager to add you to the practice admins group.',
      );
    } else {
      showSignIn(
        'The dashboard could not sign you in',
        err instanceof Error ? err.message : 'Please try again.',
      );
    }
    return undefined;
  }
}

function offerDemoSignIn(me: Me, go: () => void): void {
  const section = byId('signin');
  replace(
    section,
    h('h2', { id: 'signin-heading' }, 'Local demo: sign in without Teams'),
    h(
      'p',
      {},
      'You are outside Microsoft Teams, on the local demo. The demo lets you in as its DEMO_USER without a Teams token. The production bot never accepts this sign-in.',
    ),
    h(
      'button',
      { type: 'button', class: 'primary', id: 'demo-signin', onclick: go },
      `Demo sign-in as ${me.name} (${me.upn})`,
    ),
  );
  byId('demo-signin').focus();
}

async function openDemo(api: Api, me: Me): Promise<void> {
  const banner = byId('demo-banner');
  replace(
    banner,
    h('strong', {}, 'DEMO SIGN-IN. '),
    `Signed in as ${me.name} (${me.upn}) without Teams, on the local demo only. The production bot never accepts this sign-in.`,
  );
  banner.hidden = false;
  byId('theme-pick').hidden = false;
  const dashboard = await openDashboard(api, me);
  const select = byId<HTMLSelectElement>('theme');
  select.addEventListener('change', () => setTheme(asTheme(select.value), dashboard));
}

interface OpenDashboard {
  redraw(): void;
}

function setTheme(theme: Theme, dashboard: OpenDashboard | undefined): void {
  applyTheme(theme);
  const select = document.getElementById('theme') as HTMLSelectElement | null;
  if (select) select.value = theme;
  dashboard?.redraw();
  announce(
    `Theme: ${theme === 'default' ? 'light' : theme === 'dark' ? 'dark' : 'high contrast'}.`,
  );
}

async function openDashboard(api: Api, me: Me): Promise<OpenDashboard> {
  byId('signin').hidden = true;
  byId('dashboard').hidden = false;
  byId('tools').hidden = false;
  replace(byId('who'), `${me.name} · ${me.role === 'admin' ? 'Practice admin' : 'IT (read only)'}`);
  const overview = new Overview(api);
  const people = new PeopleList(api, me, () => void overview.load());
  byId('refresh').addEventListener('click', async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    announce('Asking Microsoft 365 for the latest registrations…');
    try {
      await api.post('/api/tab/coverage/refresh', {});
      await Promise.all([overview.load(), people.load()]);
      announce('Updated from Microsoft 365.');
    } catch (err) {
      announce(err instanceof Error ? err.message : 'Could not refresh.');
    } finally {
      button.disabled = false;
    }
  });
  byId('csv').addEventListener('click', async () => {
    try {
      const { blob, filename } = await api.download('/api/tab/people.csv');
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      announce(`Downloaded ${filename}.`);
    } catch (err) {
      announce(err instanceof Error ? err.message : 'Could not download the list.');
    }
  });
  byId('print').addEventListener('click', () => void showReport(api, me));
  // Readiness reads Microsoft 365 itself: it fills in when it can, without holding up the rest.
  void new Readiness(api).start();
  await Promise.all([overview.load(), people.load()]);
  return { redraw: () => overview.redraw() };
}

function showSignIn(title: string, text: string): void {
  const section = byId('signin');
  section.hidden = false;
  replace(section, h('h2', { id: 'signin-heading' }, title), h('p', {}, text));
  replace(byId('who'), '');
}

document.addEventListener('DOMContentLoaded', () => {
  start().catch((err: unknown) =>
    showSignIn('The dashboard could not start', err instanceof Error ? err.message : String(err)),
  );
});
