import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_PRACTICE_PATH, loadConfig } from '../../bot/config';
import { startStack, type RunningStack } from '../../bot/demo';
import { loadPractice } from '../../services/directory/practice';
import { silentLogger } from '../../services/logger';
import { CHECK_IDS } from '../../services/readiness/report';
import { assetPath } from '../../services/paths';
import { freePort } from '../helpers/ports';
import { expectedCoverage } from '../helpers/practice-coverage';
import { launchBrowser } from './browser';

/**
 * The dashboard tab as `npm start` serves it outside Teams: the labelled demo sign-in, the
 * coverage chart's numbers against the Graph stand-in's practice, the three Teams themes,
 * keyboard use and axe-core. The screenshots go to docs/ for the README.
 */

const DOCS = assetPath('docs');
const DIANE = 'diane.whitaker@riverbendfm.example';

interface AxeResult {
  violations: Array<{
    id: string;
    impact: string | null;
    help: string;
    nodes: Array<{ target: unknown }>;
  }>;
}

async function axe(page: Page): Promise<AxeResult['violations']> {
  // Evaluated through DevTools, so the page's strict Content-Security-Policy stays as it is.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] })`,
  )) as AxeResult;
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: path.join(DOCS, `${name}.png`), fullPage: false });
}

describe('the dashboard tab in the local demo (headless Chromium)', function () {
  let stack: RunningStack;
  let page: Page;
  let closeBrowser: () => Promise<void>;
  let dataDir: string;
  const pageErrors: string[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-e2e-tab-'));
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      GRAPH_SIM_PORT: String(await freePort()),
      TEAMS_SIM_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DEMO_USER: DIANE,
    });
    stack = await startStack(config, silentLogger(), false);
    const browser = await launchBrowser();
    page = browser.page;
    closeBrowser = browser.close;
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await closeBrowser?.();
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers a clearly labelled demo sign-in as DEMO_USER outside Teams, usable from the keyboard', async () => {
    await page.goto(`${stack.server.url}/tab/`);
    const button = page.getByRole('button', { name: `Demo sign-in as Diane Whitaker (${DIANE})` });
    await button.waitFor({ timeout: 30_000 });
    assert.match(
      await page.locator('#signin').innerText(),
      /The production bot never accepts this sign-in/,
    );
    assert.equal(
      await page.evaluate(`document.activeElement?.id === 'demo-signin'`),
      true,
      'the button has focus',
    );
    await page.keyboard.press('Enter');
    await page.locator('#coverage-table table').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#demo-banner').innerText(), /DEMO SIGN-IN/);
  });

  it("draws each role group's coverage with the Graph stand-in's numbers", async () => {
    const practice = loadPractice(DEMO_PRACTICE_PATH);
    const expected = expectedCoverage(practice, stack.app.config.groups.roles);
    const drawn = JSON.parse(
      (await page.locator('#coverage-chart').getAttribute('data-series')) ?? '{}',
    ) as Record<string, Array<string | number>>;
    assert.deepEqual(
      drawn.labels,
      expected.map((r) => r.name),
    );
    for (const key of ['authenticator', 'other', 'none'] as const) {
      assert.deepEqual(
        drawn[key],
        expected.map((r) => r[key]),
        key,
      );
    }
    for (const row of expected) {
      const cells = page.locator(
        `#coverage-table tr[data-group="${row.name}"] td[data-key="authenticator"]`,
      );
      assert.equal(await cells.getAttribute('data-value'), String(row.authenticator), row.name);
    }
    const everyone = expected[0]!;
    assert.match(
      await page.locator('#coverage-headline').innerText(),
      new RegExp(`^${everyone.authenticator} of ${everyone.total} people`),
    );
  });

  it('draws a few weeks of history with the earlier nudges marked', async () => {
    const trend = JSON.parse(
      (await page.locator('#trend-chart').getAttribute('data-series')) ?? '{}',
    ) as { labels: string[] };
    assert.ok(trend.labels.length >= 42, `${trend.labels.length} days`);
    const markers = JSON.parse(
      (await page.locator('#trend-chart').getAttribute('data-markers')) ?? '[]',
    ) as string[];
    assert.equal(markers.length, 2);
    assert.equal(await page.locator('#trend-markers li').count(), 2);
    await shoot(page, 'dashboard-light');
  });

  it('shows rollout readiness: the verdict, each check and where to fix it', async () => {
    const panel = page.locator('#readiness');
    await page.locator('#readiness-checks li').first().waitFor({ timeout: 30_000 });
    assert.equal(
      await page.locator('#readiness-headline').innerText(),
      'Not ready to enforce: 1 item blocks it',
    );
    assert.equal(await page.locator('#readiness-checks li').count(), CHECK_IDS.length);
    const campaign = page.locator('#readiness-checks li[data-check="registration-campaign"]');
    assert.match(await campaign.innerText(), /Registration campaign on\s+Fail/);
    assert.match(
      (await campaign.getByRole('link', { name: /Where to fix it/ }).getAttribute('href')) ?? '',
      /^https:\/\/entra\.microsoft\.com\//,
    );
    await page.getByRole('button', { name: 'Check again now' }).click();
    await page.locator('#readiness[aria-busy]').waitFor({ state: 'detached', timeout: 30_000 });
    assert.match(await panel.innerText(), /As of /);
    await page.evaluate(`document.getElementById('readiness-heading').scrollIntoView()`);
    await shoot(page, 'dashboard-readiness');
  });

  it('has no serious or critical accessibility problems in the light theme', async () => {
    assert.deepEqual(await axe(page), []);
  });

  for (const [theme, label] of [
    ['dark', 'Dark'],
    ['contrast', 'High contrast'],
  ] as const) {
    it(`switches to the ${label.toLowerCase()} theme, charts included, with no serious or critical problems`, async () => {
      const before = await page.locator('#coverage-chart').screenshot();
      await page.getByLabel('Theme (demo)').selectOption({ label });
      assert.equal(await page.locator('html').getAttribute('data-theme'), theme);
      const background = await page.evaluate(
        'getComputedStyle(document.documentElement).backgroundColor',
      );
      assert.notEqual(background, 'rgb(245, 245, 245)', 'the page is no longer light');
      const after = await page.locator('#coverage-chart').screenshot();
      assert.ok(!before.equals(after), 'the chart was drawn again in the theme');
      await shoot(page, `dashboard-${theme}`);
      assert.deepEqual(await axe(page), []);
    });
  }

  it('lets an admin tick people and preview a nudge from the keyboard', async () => {
    await page.getByLabel('Theme (demo)').selectOption({ label: 'Light' });
    await page.locator('#group').selectOption('Nursing');
    // The filtered list, not the whole one still on screen: every row is someone in Nursing.
    const rows = page.locator('#people tbody tr');
    for (
      let tries = 0;
      (await rows.count()) === 0 || (await rows.filter({ hasNotText: 'Nursing' }).count()) > 0;
      tries += 1
    ) {
      if (tries > 100) throw new Error('the list never showed Nursing only');
      await page.waitForTimeout(100);
    }
    const first = page.locator('#people tbody input[type=checkbox]').first();
    await first.focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: /^Nudge 1 person/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByText('Check before sending').waitFor();
    assert.match(await dialog.innerText(), /Goes to 1 person/);
    assert.match(await dialog.innerText(), /Let's set up Microsoft Authenticator/);
    await shoot(page, 'dashboard-nudge-preview');
    assert.deepEqual(await axe(page), []);
    await page.keyboard.press('Escape');
    assert.equal(await dialog.isVisible(), false, 'Escape closes it and nothing is sent');
  });

  it('shows a print view to file as evidence', async () => {
    await page.getByRole('button', { name: 'Print view' }).click();
    await page
      .getByRole('heading', { name: 'Microsoft Authenticator rollout: evidence report' })
      .waitFor();
    assert.match(await page.locator('#report-meta').innerText(), /Prepared .* by Diane Whitaker/);
    assert.match(
      await page.locator('#report-body').innerText(),
      /Not on Microsoft Authenticator yet: \d+ people/,
    );
    await shoot(page, 'dashboard-print');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(pageErrors, []);
  });
});
