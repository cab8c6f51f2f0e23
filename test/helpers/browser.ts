// Headless Chromium from Debian (`chromium`, scripts/ci/install-deps.sh) driven by puppeteer-core:
// puppeteer's own browser download cannot work here. Screenshots go to $CI_ARTIFACTS/ui/ when
// set (.ci/run sets it to test-artifacts/ and lists what it kept), else test-artifacts/ui/
// (ignored by git).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ROOT } from './nora-process.js';

export const SCREENSHOTS = path.join(process.env.CI_ARTIFACTS ? path.resolve(process.env.CI_ARTIFACTS) : path.join(ROOT, 'test-artifacts'), 'ui');

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in CI: Chromium's sandbox needs user namespaces the container may not give.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
  });
}

/** A full-page screenshot named after the page it shows. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Answers every Basic sign-in prompt of `page` as a person pressing Cancel would (headless
 * Chromium has no dialog to show: without this the navigation fails). Returns the prompts seen.
 */
export async function cancelSignInPrompts(page: Page): Promise<{ prompts: { url: string; scheme: string; realm: string }[] }> {
  const seen: { url: string; scheme: string; realm: string }[] = [];
  const client = await page.createCDPSession();
  client.on('Fetch.requestPaused', (event) => void client.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => undefined));
  client.on('Fetch.authRequired', (event) => {
    seen.push({ url: event.request.url, scheme: event.authChallenge.scheme, realm: event.authChallenge.realm });
    void client.send('Fetch.continueWithAuth', { requestId: event.requestId, authChallengeResponse: { response: 'CancelAuth' } }).catch(() => undefined);
  });
  await client.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  return { prompts: seen };
}
