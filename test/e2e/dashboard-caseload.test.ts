// The recruitment team's first page in a real browser (Debian's Chromium, playwright-core), against
// the running local stack: an officer logs an enquiry, finds it by name in the search box,
// records a call in which the household asks to be called back in a week, and sees it move in the
// due list from "waiting for a first response" (due the next working day) to "follow-up call" on that date.
import type { Page } from 'playwright-core';
import { buildDashboard } from '../../dashboard/build';
import { addWorkingDays } from '../../shared/domain/working-days';
import { launchDashboardBrowser, requireChromium } from '../support/dashboard-browser';
import { startRunningStack, type RunningStack } from '../support/running-stack';

const agency = 'cambs-caseload';
let stack: RunningStack;
let page: Page;
let closeBrowser: (() => Promise<void>) | undefined;
const browserErrors: string[] = [];

beforeAll(async () => {
  buildDashboard();
  requireChromium();
  stack = await startRunningStack();
  ({ page, close: closeBrowser } = await launchDashboardBrowser({
    profilePrefix: 'dashboard-caseload-',
    viewport: { width: 1366, height: 768 },
    timezoneId: 'UTC',
    errors: browserErrors,
  }));
}, 240_000);

afterAll(async () => {
  await closeBrowser?.();
  await stack?.stop();
});

const todayPlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe("today's work, in Chromium", () => {
  it('logs an enquiry, finds it by name, records a call-back and sees it move in the due list', async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole('radio', { name: 'Recruitment team' }).check();
    await page.getByRole('textbox', { name: 'Agency', exact: true }).fill(agency);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who[data-role="recruitment"]').waitFor();
    // The recruitment team lands on today's work.
    expect(await page.getByRole('tab', { name: "Today's work" }).getAttribute('aria-selected')).toBe('true');

    // Log the enquiry on the Households panel, with the keyboard-usable form there.
    await page.getByRole('tab', { name: 'Households' }).click();
    const form = page.getByRole('form', { name: 'Log an enquiry' });
    await form.getByLabel('How they heard').selectOption('phone');
    await form.getByLabel('Name').fill('Rhiannon Applethwaite');
    await form.getByLabel('Phone').fill('01223 555 0199');
    await form.getByRole('button', { name: 'Log enquiry' }).click();
    await page.locator('article.household').waitFor();

    // Back to today's work: it is waiting for a first response, due today.
    await page.getByRole('tab', { name: "Today's work" }).click();
    const search = page.getByRole('search', { name: 'Find a household' });
    await search.getByLabel('Find a household').fill('applethw');
    await search.getByRole('button', { name: 'Search' }).click();
    const match = page.getByRole('list', { name: 'Households found' }).getByRole('button', { name: /Rhiannon Applethwaite/ });
    await match.waitFor();
    expect(await match.innerText()).toMatch(/^CAMBSC-\d{4}-\d{4} · Rhiannon Applethwaite$/);

    // On the work list: waiting for a first response, due one working day after today's enquiry.
    const workItem = () => page.locator('ol.work li.work-item').filter({ hasText: 'Rhiannon Applethwaite' });
    const item = workItem();
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('awaiting_first_response');
    expect(await item.getAttribute('data-due')).toBe(addWorkingDays(todayPlus(0), 1));

    // One click to record the call; they ask to be called back in a week.
    await item.getByRole('button', { name: /^Record a call with/ }).click();
    const call = page.getByRole('form', { name: /^Record a call with .*Rhiannon Applethwaite/ });
    await call.getByLabel('What happened').selectOption('callback_requested');
    await call.getByLabel('Follow up on').fill(todayPlus(7));
    await call.getByRole('button', { name: 'Save the call' }).click();

    // It leaves the new enquiries to answer; the work list shows it among the follow-up calls.
    await page
      .locator('ol.work li.work-item[data-state="awaiting_first_response"]')
      .filter({ hasText: 'Rhiannon Applethwaite' })
      .waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'The work list' }).getByLabel('Show').selectOption('follow_up');
    const moved = page.locator('ol.work li.work-item[data-state="callback_requested"]').filter({ hasText: 'Rhiannon Applethwaite' });
    await moved.waitFor();
    expect(await moved.getAttribute('data-due')).toBe(todayPlus(7));
    expect(await moved.innerText()).toContain('Follow-up call due');
    expect(await workItem().count()).toBe(1);
    expect(browserErrors).toEqual([]);
  });
});
