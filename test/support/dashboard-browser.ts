// Debian's Chromium for the dashboard's browser tests (playwright-core): one way to check it is
// installed, launch it headless with a fresh, empty profile (--user-data-dir, as the machine notes
// ask) and British locale, and collect the page's script errors.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildDashboard } from '../../dashboard/build';
import { chromiumPath, INSTALL_HINT } from './ensure-chromium';
import { startRunningStack, type RunningStack } from './running-stack';

const launchFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--lang=en-GB',
];

/** Fails with what to install when Chromium is missing. */
export function requireChromium(): void {
  let installed = false;
  try {
    installed = statSync(chromiumPath()).isFile();
  } catch {
    /* reported below */
  }
  if (!installed) throw new Error(INSTALL_HINT);
}

export interface DashboardBrowser {
  page: Page;
  close(): Promise<void>;
}

/** A browser with one page; its script errors (not refused requests) are pushed onto `errors`. */
export async function launchDashboardBrowser(options: {
  profilePrefix: string;
  viewport: { width: number; height: number };
  timezoneId: string;
  errors: string[];
  /** False: the page's own scripts never run (a browser with JavaScript off). */
  javaScriptEnabled?: boolean;
}): Promise<DashboardBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), options.profilePrefix));
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: launchFlags,
    viewport: options.viewport,
    locale: 'en-GB',
    timezoneId: options.timezoneId,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    // Date fields follow the browser's own locale: a British one shows dd/mm/yyyy.
    env: { ...process.env, LANG: 'en_GB.UTF-8', LANGUAGE: 'en_GB' },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (error) => options.errors.push(error.message));
  // A refused request (a 404 while a new household is projected) is logged too; it is not a page error.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) options.errors.push(message.text());
  });
  return {
    page,
    close: async () => {
      await browser.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** The dashboard as built from the current source, served by a running local stack, open in a laptop-sized
 *  UTC browser; `close` stops both. */
export async function openDashboardOnRunningStack(
  profilePrefix: string,
  errors: string[],
): Promise<DashboardBrowser & { stack: RunningStack }> {
  buildDashboard();
  requireChromium();
  const stack = await startRunningStack();
  const browser = await launchDashboardBrowser({ profilePrefix, viewport: { width: 1366, height: 768 }, timezoneId: 'UTC', errors });
  return {
    stack,
    page: browser.page,
    close: async () => {
      await browser.close();
      await stack.stop();
    },
  };
}

/** An accessibility failure axe-core found: its rule and the elements it names. */
export type AxeViolation = { id: string; nodes: string[] };

/** axe-core (Deque's engine) run in the page on what it shows: WCAG 2.0, 2.1 and 2.2 A and AA rules.
 *  Put in with evaluate, which the page's Content-Security-Policy does not govern. */
export async function axeViolationsIn(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    .then((result) => result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
}
