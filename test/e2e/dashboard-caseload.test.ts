// The recruitment team's first page in a real browser (Debian's Chromium, playwright-core), against
// the running local stack: an officer logs an enquiry, finds it by name in the search box,
// records a call in which the household asks to be called back in a week, and sees it move in the
// due list from "waiting for a first response" (due the next working day) to "follow-up call" on that date.
import type { Page } from 'playwright-core';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { signLocalToken } from '../../local/tokens';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { EVENT_SOURCE } from '../../shared/events/catalogue';
import { addWorkingDays } from '../../shared/domain/working-days';
import { openDashboardOnRunningStack } from '../support/dashboard-browser';
import type { RunningStack } from '../support/running-stack';

const agency = 'cambs-caseload';
let stack: RunningStack;
let page: Page;
let close: (() => Promise<void>) | undefined;
const browserErrors: string[] = [];

beforeAll(async () => {
  ({ stack, page, close } = await openDashboardOnRunningStack('dashboard-caseload-', browserErrors));
}, 240_000);

afterAll(async () => {
  await close?.();
});

/** Logs an enquiry on the Households panel, with the keyboard-usable form there. */
async function logEnquiry(heard: string, name: string, phone: string): Promise<void> {
  await page.getByRole('tab', { name: 'Households' }).click();
  const form = page.getByRole('form', { name: 'Log an enquiry' });
  await form.getByLabel('How they heard').selectOption(heard);
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Phone').fill(phone);
  await form.getByRole('button', { name: 'Log enquiry' }).click();
}

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

    await logEnquiry('phone', 'Rhiannon Applethwaite', '01223 555 0199');
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

  it('a second enquiry with the same phone is marked a possible duplicate, and the mark is cleared from its record', async () => {
    await logEnquiry('website', 'Rhys Applethwaite', '+44 1223 555 0199');
    const mark = page.locator('article.household p.possible-duplicate');
    await mark.waitFor();
    expect(await mark.innerText()).toMatch(/^Possible duplicate: the same email or phone as CAMBSC-\d{4}-\d{4}\./);

    await page.getByRole('tab', { name: "Today's work" }).click();
    const marked = page.locator('ol.work li.work-item[data-possible-duplicate="true"]').filter({ hasText: 'Rhys Applethwaite' });
    await marked.waitFor();
    expect(await marked.innerText()).toContain('Possible duplicate');
    expect(await page.locator('ol.work li.work-item[data-possible-duplicate="true"]').count()).toBe(1);

    await marked.getByRole('button', { name: /^CAMBSC-\d{4}-\d{4} · Rhys Applethwaite$/ }).click();
    await page.locator('article.household p.possible-duplicate').waitFor();
    await page.getByRole('form', { name: 'Not a duplicate' }).getByRole('button', { name: 'Not a duplicate' }).click();
    await page.locator('article.household p.possible-duplicate').waitFor({ state: 'detached' });
    expect(browserErrors).toEqual([]);
  });

  it("a council's first page: the caseload's own counts, and every open household a page away", async () => {
    // A council's backlog from another system: 260 enquiries over three years, none answered, and a
    // few from this morning, so the work list spans three pages of 100.
    const council = 'norfolk-backlog';
    const bus = new EventBridgeClient({
      endpoint: stack.eventsUrl,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const enquiries = Array.from({ length: 263 }, (_, i) => {
      const at =
        i < 260
          ? new Date(Date.UTC(2023, 0, 2) + i * 4 * 86_400_000).toISOString()
          : new Date(Date.now() - (i - 259) * 60_000).toISOString();
      return {
        Source: EVENT_SOURCE,
        DetailType: 'EnquiryReceived',
        EventBusName: EVENT_BUS_NAME,
        Detail: JSON.stringify({
          eventId: `backlog-${i}`,
          agencyId: council,
          householdId: `backlog-${i}`,
          occurredAt: at,
          channel: 'website',
        }),
      };
    });
    for (let i = 0; i < enquiries.length; i += 10) await bus.send(new PutEventsCommand({ Entries: enquiries.slice(i, i + 10) }));
    bus.destroy();
    await stack.idle();
    const manager = await signLocalToken({ groups: ['manager'], agencyId: council, secret: 'local-dev-secret' });
    const counts = (await stack.call('GET', `/metrics/caseload?on=${todayPlus(0)}`, { token: manager })).body;

    await page.goto(`${stack.apiUrl}/`);
    await page.locator('form.sign-in, header.top').first().waitFor();
    const signOut = page.getByRole('button', { name: 'Sign out' });
    if (await signOut.isVisible()) await signOut.click();
    await page.getByRole('radio', { name: 'Recruitment team' }).check();
    await page.getByRole('textbox', { name: 'Agency', exact: true }).fill(council);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const figure = async (field: string) => Number(await page.locator(`[data-figure="${field}"]`).first().getAttribute('data-value'));
    await page.locator('[data-figure="overdue"]').first().waitFor();
    // The figures are the caseload's own, not counts of the page shown.
    expect([await figure('overdue'), await figure('dueToday'), await figure('awaitingFirstResponse'), await figure('open')]).toEqual([
      counts.overdue,
      counts.dueToday,
      counts.byState.awaiting_first_response,
      counts.byState.awaiting_first_response,
    ]);
    expect(counts.byState.awaiting_first_response).toBe(263);
    // New enquiries first: this morning's three are on top, whatever the backlog.
    const newEnquiries = page.getByRole('region', { name: 'New enquiries to answer' });
    await newEnquiries.locator('li.work-item').first().waitFor();
    expect(
      await newEnquiries.locator('li.work-item').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-household')).sort()),
    ).toEqual(['backlog-260', 'backlog-261', 'backlog-262']);
    // The backlog is the overdue work, every household of it a page or two away: 100, 100, 60.
    const workList = page.getByRole('region', { name: 'The work list' });
    const seen = new Set<string>(['backlog-260', 'backlog-261', 'backlog-262']);
    for (const [index, expected] of [100, 100, 60].entries()) {
      // The page asked for is drawn (its number in the pager), with as many as it holds.
      await workList.locator('nav.pager span', { hasText: `Page ${index + 1}` }).waitFor();
      const items = workList.locator('li.work-item');
      expect(await items.count()).toBe(expected);
      for (const id of await items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-household')!))) seen.add(id);
      if (expected === 100) await workList.getByRole('button', { name: 'Next page' }).click();
    }
    expect(seen.size).toBe(263);
    expect(browserErrors).toEqual([]);
  });
});
