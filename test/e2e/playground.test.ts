import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import { startStack, type RunningStack } from '../../bot/demo';
import { silentLogger } from '../../services/logger';
import { freePort } from '../helpers/ports';
import { launchBrowser, screenshot, send, cards } from './browser';
import type { Page } from 'playwright-core';

/** The demo stack with the playground signed in as `demoUser`, and a browser on it. */
interface Session {
  stack: RunningStack;
  page: Page;
  close(): Promise<void>;
}

async function openPlayground(demoUser?: string): Promise<Session> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    GRAPH_SIM_PORT: String(await freePort()),
    PLAYGROUND_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    ...(demoUser ? { DEMO_USER: demoUser } : {}),
  });
  const stack = await startStack(config, silentLogger(), true);
  const browser = await launchBrowser();
  await browser.page.goto(stack.playground!.url);
  await browser.page.locator('div[role=textbox]').first().waitFor({ timeout: 60_000 });
  return {
    stack,
    page: browser.page,
    close: async () => {
      await browser.close();
      await stack.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('demo in the Microsoft 365 Agents Playground', function () {
  let session: Session;
  let stack: RunningStack;
  let page: Page;

  before(async () => {
    session = await openPlayground();
    ({ stack, page } = session);
  });
  after(async () => {
    await session?.close();
  });

  it('greets the demo nurse by first name with the help card when the chat opens', async () => {
    await cards(page).filter({ hasText: 'Hi Nora!' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, '01-greeting');
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
    // She finishes on the computer: Microsoft 365 now has her Authenticator.
    const res = await fetchSim(stack, 'PATCH', '/_sim/users/nora.nguyen@riverbendfm.example', {
      methodsRegistered: ['microsoftAuthenticatorPush'],
    });
    assert.equal(res, 200);
    await card().getByRole('button', { name: 'Check again' }).click();
    await card().getByText("You're all set, Nora!").waitFor({ timeout: 30_000 });
    await screenshot(page, `${String(n).padStart(2, '0')}-setup-done`);
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

async function fetchSim(
  stack: RunningStack,
  method: string,
  path: string,
  body: unknown,
): Promise<number> {
  const { Agent, fetch } = await import('undici');
  const agent = new Agent({ connect: { ca: stack.graphSim!.caPem } });
  try {
    const res = await fetch(`${stack.graphSim!.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    return res.status;
  } finally {
    await agent.close();
  }
}

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
});
