import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DashboardLink } from '../../bot/dashboard-link';
import type { CatalogAnswer } from '../../services/campaigns/app-catalog';
import type { TestUser } from '../helpers/activities';
import { cardOf, cardText, startHarness, userOf, type Harness } from '../helpers/harness';

/** The help and status cards open the dashboard tab for admins and IT, when there is one to open. */

type Action = { type: string; title: string; url?: string };

function dashboardAction(card: unknown): Action | undefined {
  let found: Action | undefined;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.OpenUrl' && n.title === 'Open the dashboard') found = n as Action;
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('the dashboard link on the help and status cards', () => {
  let h: Harness;
  const person = (upn: string): TestUser =>
    userOf(h.practice.users.find((u) => u.userPrincipalName === upn)!);
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
    fs.rmSync(h.dataDir, { recursive: true, force: true });
  });

  const help = async (user: TestUser) => cardOf((await h.say(user, 'help'))[0]!)!;

  it('gives admins and IT the tab where the demo serves it, and staff no link', async () => {
    const admin = await help(person('diane.whitaker@riverbendfm.example'));
    assert.equal(dashboardAction(admin)?.url, `${h.server.url}/tab/`);
    const it = await help(person('priya.raman@riverbendfm.example'));
    assert.equal(dashboardAction(it)?.url, `${h.server.url}/tab/`);
    assert.match(cardText(it), /Rollout readiness/, 'IT may check readiness too');
    const staff = await help(person('nora.nguyen@riverbendfm.example'));
    assert.equal(dashboardAction(staff), undefined);
    assert.doesNotMatch(cardText(staff), /Rollout readiness/);
  });

  it('puts the same link on the registration status card', async () => {
    const [reply] = await h.say(person('diane.whitaker@riverbendfm.example'), 'status');
    assert.equal(dashboardAction(cardOf(reply!))?.url, `${h.server.url}/tab/`);
  });
});

describe('where the dashboard link points in Teams', () => {
  const catalog = (answer: CatalogAnswer | Error) => ({
    resolve: () => (answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)),
  });
  const MANIFEST_ID = '11111111-2222-4333-8444-555555555555';
  const CATALOG_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const notPublished: CatalogAnswer = { ok: false, lasting: true, problem: 'not in the catalog' };

  it('opens the personal tab of the app as the practice catalog knows it', async () => {
    const link = new DashboardLink(
      { mode: 'production', manifestId: MANIFEST_ID, port: 3978 },
      catalog({ ok: true, catalogId: CATALOG_ID }),
    );
    assert.equal(await link.url(), `https://teams.microsoft.com/l/entity/${CATALOG_ID}/dashboard`);
  });

  it('falls back to the manifest id for an app uploaded but not published', async () => {
    for (const answer of [notPublished, new Error('Graph down')]) {
      const link = new DashboardLink(
        { mode: 'production', manifestId: MANIFEST_ID, port: 3978 },
        catalog(answer),
      );
      assert.equal(
        await link.url(),
        `https://teams.microsoft.com/l/entity/${MANIFEST_ID}/dashboard`,
      );
    }
  });

  it('offers no link when the app is not configured', async () => {
    const link = new DashboardLink({ mode: 'production', port: 3978 }, catalog(notPublished));
    assert.equal(await link.url(), undefined);
  });
});
