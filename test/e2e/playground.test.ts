import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import { startStack, type RunningStack } from '../../bot/demo';
import { silentLogger } from '../../services/logger';
import { launchBrowser, screenshot, send, cards } from './browser';
import type { Page } from 'playwright-core';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('demo in the Microsoft 365 Agents Playground', function () {
  let stack: RunningStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let dataDir: string;

  before(async function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-e2e-'));
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      GRAPH_SIM_PORT: String(await freePort()),
      PLAYGROUND_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    });
    stack = await startStack(config, silentLogger(), true);
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(stack.playground!.url);
    await page.locator('div[role=textbox]').first().waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('greets the demo nurse by first name with the help card when the chat opens', async () => {
    await cards(page).filter({ hasText: 'Hi Nora!' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, '01-greeting');
  });

  it('shows the menu again when she types "help"', async () => {
    const before = await cards(page).count();
    await send(page, 'help');
    await page.waitForFunction(`document.querySelectorAll('.fai-OutputCard').length > ${before}`, null, {
      timeout: 30_000,
    });
    const last = cards(page).last();
    await last.getByText('What do you need?').waitFor();
    assert.ok(await last.getByRole('button', { name: 'My status' }).isVisible());
    await screenshot(page, '02-help-card');
  });

  it('replaces the help card with her registration status when she clicks "My status"', async () => {
    const last = cards(page).last();
    await last.getByRole('button', { name: 'My status' }).click();
    await cards(page).last().getByText('Your sign-in security').waitFor({ timeout: 30_000 });
    await cards(page).last().getByText(/haven't set up a second sign-in method|not with Authenticator yet/).waitFor();
    await screenshot(page, '03-my-status');
  });
});
