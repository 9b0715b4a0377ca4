import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const SCREENSHOTS = path.resolve('test-results');

/** Headless Debian Chromium (a fresh profile each launch) that can reach only this machine. */
export async function launchBrowser(): Promise<{
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
  });
  return {
    browser,
    page,
    close: async () => {
      await browser.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Types into the playground's message box and sends. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('div[role=textbox]').first();
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/** The bot's cards (newest last). */
export function cards(page: Page) {
  return page.locator('.fai-OutputCard');
}
