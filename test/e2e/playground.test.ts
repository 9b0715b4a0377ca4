import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import { startStack, type RunningStack } from '../../bot/demo';
import { silentLogger } from '../../services/logger';
import { assetPath } from '../../services/paths';
import { freePort } from '../helpers/ports';
import { launchBrowser, screenshot, send, cards } from './browser';
import type { Page } from 'playwright-core';

/** The demo stack with the playground signed in as `demoUser`, and a browser on it. */
interface Session {
  stack: RunningStack;
  page: Page;
  /** `npx mfa-bot demo …` in another terminal, against this demo. */
  demo(...args: string[]): Promise<string>;
  /** Stops everything; with `restart`, starts the demo again on the same data, as `npm start`. */
  close(options?: { restart: true }): Promise<Session | undefined>;
}

/** Screenshots the README shows: docs/, next to the dashboard's. */
async function forReadme(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: assetPath('docs', `${name}.png`), fullPage: false });
}

async function openPlayground(demoUser?: string, keptData?: string): Promise<Session> {
  const dataDir = keptData ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    GRAPH_SIM_PORT: String(await freePort()),
    PLAYGROUND_PORT: String(await freePort()),
    TEAMS_SIM_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    ...(demoUser ? { DEMO_USER: demoUser } : {}),
  });
  const stack = await startStack(config, silentLogger(), true);
  const browser = await launchBrowser();
  await browser.page.goto(stack.playground!.url);
  await browser.page.locator('div[role=textbox]').first().waitFor({ timeout: 60_000 });
  const cli = assetPath('dist', 'bot', 'cli.js');
  const env = { ...process.env, TEAMS_SIM_PORT: String(config.teamsSimPort) };
  return {
    stack,
    page: browser.page,
    demo: (...args) =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, [cli, 'demo', ...args], { env }, (err, stdout, stderr) =>
          err ? reject(new Error(`mfa-bot demo ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
        );
      }),
    close: async (options) => {
      await browser.close();
      await stack.stop();
      if (options?.restart) return openPlayground(demoUser, dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return undefined;
    },
  };
}

describe('demo in the Microsoft 365 Agents Playground', function () {
  let session: Session;
  let page: Page;

  before(async () => {
    session = await openPlayground();
    ({ page } = session);
  });
  after(async () => {
    await session?.close();
  });

  it('greets the demo nurse by first name with the help card when the chat opens', async () => {
    await cards(page).filter({ hasText: 'Hi Nora!' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, '01-greeting');
    await forReadme(page, 'playground-greeting');
  });

  it('shows the menu again when she types "help"', async () => {
    const before = await cards(page).count();
    await send(page, 'help');
    await page.waitForFunction(
      `document.querySelectorAll('.fai-OutputCard').length > ${before}`,
      null,
      {
        timeout: 30_000,
      },
    );
    const last = cards(page).last();
    await last.getByText('What do you need?').waitFor();
    assert.ok(await last.getByRole('button', { name: 'My status' }).isVisible());
    await screenshot(page, '02-help-card');
  });

  it('replaces the help card with her registration status when she clicks "My status"', async () => {
    const last = cards(page).last();
    await last.getByRole('button', { name: 'My status' }).click();
    await cards(page).last().getByText('Your sign-in security').waitFor({ timeout: 30_000 });
    await cards(page)
      .last()
      .getByText(/haven't set up a second sign-in method|not with Authenticator yet/)
      .waitFor();
    await screenshot(page, '03-my-status');
  });

  it('walks her through Authenticator setup until Microsoft 365 shows it registered', async () => {
    await send(page, 'set up');
    const card = () => cards(page).last();
    await card().getByText("Let's protect your account").waitFor({ timeout: 30_000 });
    await screenshot(page, '04-setup-why');
    const steps: Array<[string, string | RegExp]> = [
      ["Let's start", 'Step 1 of 4: Install the app'],
      ["It's installed", 'Step 2 of 4: Connect the app to your work account'],
      ['I scanned the code', 'Step 3 of 4: Approve the test notification'],
      ['I approved it', /don't see Authenticator on your account yet/],
    ];
    let n = 5;
    for (const [button, next] of steps) {
      await card().getByRole('button', { name: button }).click();
      await card().getByText(next).first().waitFor({ timeout: 30_000 });
      await screenshot(page, `${String(n).padStart(2, '0')}-setup`);
      n += 1;
    }
    // Her phone, played from another terminal: scan the QR code, approve the test notification.
    assert.match(await session.demo('phone', 'nora', 'register'), /scanned the QR code/);
    assert.match(await session.demo('phone', 'nora', 'approve'), /now lists Authenticator/);
    await card().getByRole('button', { name: 'Check again' }).click();
    await card().getByText("You're all set, Nora!").waitFor({ timeout: 30_000 });
    await screenshot(page, `${String(n).padStart(2, '0')}-setup-done`);
    await forReadme(page, 'demo-staff-setup-done');
  });

  it('takes a lost-phone report with choices, not free text, and gives a request number', async () => {
    await send(page, 'I lost my phone');
    const card = () => cards(page).last();
    await card()
      .getByText("Lost or stolen phone? Let's secure your account")
      .waitFor({ timeout: 30_000 });
    for (const [label, choice] of [
      ['What happened?', 'Lost it'],
      ['Roughly when?', 'Today'],
      ['Was work email or Teams on it?', 'Yes'],
      ['How can IT confirm it', 'Call me back on the number the practice has on file'],
    ]) {
      await chooseOption(page, label, choice);
    }
    await screenshot(page, '10-lost-intake');
    await card().getByRole('button', { name: 'Send to IT' }).click();
    await card()
      .getByText(/Request MFA-\d{4}/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, '11-lost-sent');
  });
});

/** Picks a choice in an Adaptive Card choice set, whichever way the client renders it. */
async function chooseOption(page: Page, label: string, choice: string): Promise<void> {
  const card = cards(page).last();
  const select = card
    .locator('select')
    .filter({ has: page.locator(`option:text-is("${choice}")`) });
  if (await select.count()) {
    await select.first().selectOption({ label: choice });
    return;
  }
  const combo = card.getByRole('combobox', { name: new RegExp(label.replace(/[?]/g, '\\?')) });
  if (await combo.count()) {
    await combo.first().click();
    await page.getByRole('option', { name: choice, exact: true }).first().click();
    return;
  }
  await card.getByRole('radio', { name: choice, exact: true }).first().check();
}

describe('a practice admin in the Agents Playground', function () {
  let session: Session;
  let page: Page;

  before(async () => {
    session = await openPlayground('diane.whitaker@riverbendfm.example');
    page = session.page;
  });
  after(async () => {
    await session?.close();
  });

  it('sees her admin actions and the registration coverage per role group', async () => {
    const greeting = cards(page).filter({ hasText: 'Hi Diane!' }).first();
    await greeting.waitFor({ timeout: 30_000 });
    await greeting.getByRole('button', { name: 'Registration status' }).waitFor();
    await send(page, 'status');
    await cards(page)
      .last()
      .getByText(/Nursing/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, '12-admin-status');
  });

  it('nudges Front Desk: every nudge is delivered, the card finishes by itself, people register', async () => {
    await send(page, 'nudge');
    const card = () => cards(page).last();
    await card().getByText('Send a nudge').waitFor({ timeout: 30_000 });
    await card().getByRole('combobox').first().click();
    await page.getByRole('menuitemcheckbox', { name: 'Front Desk' }).click();
    await page.keyboard.press('Escape');
    await card().getByRole('button', { name: 'Preview' }).click();
    await card().getByText('Check before sending').waitFor({ timeout: 30_000 });
    await forReadme(page, 'demo-admin-nudge-preview');
    const sendButton = card().getByRole('button', { name: /^Send to \d+ people$/ });
    const count = Number(/\d+/.exec(await sendButton.innerText())![0]);
    await sendButton.click();

    // Nobody presses Refresh: the card updates itself until every recipient is done.
    await card()
      .getByText(/^Finished/)
      .waitFor({ timeout: 60_000 });
    const finished = await card().innerText();
    assert.match(finished, new RegExp(`Finished: ${count} sent, 0 already registered\\.`));
    assert.doesNotMatch(finished, /Failed|could not be reached/);
    await screenshot(page, '13-admin-nudge-finished');

    // A demo day later, some of them set up Authenticator.
    assert.match(await session.demo('time', '+1d'), /1 days? ahead/);
    let registered = 0;
    for (let tries = 0; tries < 30 && !registered; tries += 1) {
      await card().getByRole('button', { name: 'Refresh' }).click();
      await card()
        .getByText(/^Registered since the nudge/)
        .waitFor({ timeout: 30_000 });
      const line = await card()
        .getByText(/^Registered since the nudge/)
        .innerText();
      registered = Number(/: (\d+) of/.exec(line)?.[1] ?? 0);
      if (!registered) await page.waitForTimeout(1000);
    }
    assert.ok(registered >= 1, 'at least one person registered after the nudge');
    await screenshot(page, '14-admin-nudge-registered');
    await forReadme(page, 'demo-admin-nudge-report');
  });
});

describe('IT in the Agents Playground', function () {
  let session: Session;
  let page: Page;

  before(async () => {
    session = await openPlayground('priya.raman@riverbendfm.example');
    page = session.page;
  });
  after(async () => {
    await session?.close();
  });

  it('takes a lost-phone request from the IT channel, where the bot said hello at start', async () => {
    await page.getByText('Escalations').first().click();
    await page
      .getByText('Hello IT team. I will post lost-phone and help requests here')
      .first()
      .waitFor({ timeout: 30_000 });
    assert.match(await session.demo('lost', 'kevin'), /reported a lost phone/);
    // Channel posts are cards in the thread list, not chat bubbles.
    const ticket = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Lost or stolen phone' })
      .last();
    await ticket
      .getByText(/MFA-\d{4}/)
      .first()
      .waitFor({ timeout: 30_000 });
    await ticket.getByText('Kevin Park').first().waitFor();
    await screenshot(page, '15-it-channel-ticket');

    await ticket.getByRole('button', { name: 'Show actions (IT)' }).click();
    await ticket.getByRole('button', { name: 'Assign to me' }).click();
    await ticket.getByText('Priya Raman').first().waitFor({ timeout: 30_000 });
    await screenshot(page, '16-it-ticket-taken');
    await forReadme(page, 'demo-it-ticket');
  });

  it('after a restart, posts the open request in the IT channel again', async () => {
    session = (await session.close({ restart: true }))!;
    page = session.page;
    await page.getByText('Escalations').first().click();
    const ticket = page.locator('.ac-adaptiveCard').filter({ hasText: 'Lost or stolen phone' });
    await ticket.getByText('Kevin Park').first().waitFor({ timeout: 30_000 });
    assert.match(await ticket.last().innerText(), /Priya Raman/, 'as it is now: Priya has it');
    await screenshot(page, '17-it-channel-after-restart');
  });
});
