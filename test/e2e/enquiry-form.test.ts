// The front door in Chromium: a member of the public follows a campaign's tracking link, fills the
// service's enquiry form with JavaScript off and with it on (axe-core's WCAG 2.2 AA rules on the form
// and on the answer), and the recruitment team finds the enquiry in today's work by its reference,
// marked as a web enquiry and attributed to the campaign of the link.
import type { Page } from 'playwright-core';
import { signLocalToken } from '../../local/tokens';
import { buildDashboard } from '../../dashboard/build';
import {
  axeViolationsIn,
  launchDashboardBrowser,
  requireChromium,
  type AxeViolation,
  type DashboardBrowser,
} from '../support/dashboard-browser';
import { startRunningStack, type RunningStack } from '../support/running-stack';

const agency = 'cambs-front';
const campaign = { campaignId: 'open-evenings', name: 'Autumn open evenings', trackingCode: 'autumn-open-evenings' };
let stack: RunningStack;
const browserErrors: string[] = [];
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  buildDashboard();
  requireChromium();
  stack = await startRunningStack();
  const token = (group: 'manager' | 'marketing') => signLocalToken({ groups: [group], agencyId: agency, secret: 'local-dev-secret' });
  const settings = await stack.call('PUT', '/agency/settings', {
    token: await token('manager'),
    body: {
      attritionRate: 0.12,
      targetInHouseShare: 0.6,
      serviceName: 'Cambridgeshire Fostering',
      privacyNoticeText: 'We use your details to answer your enquiry about fostering.',
      privacyNoticeUrl: 'https://www.example.gov.uk/fostering/privacy',
    },
  });
  expect(settings.status).toBe(202);
  const launched = await stack.call('POST', '/campaigns', {
    token: await token('marketing'),
    body: { ...campaign, channels: ['facebook'], startsOn: daysAgo(10) },
  });
  expect(launched.status).toBe(202);
  checker = await launchDashboardBrowser({
    profilePrefix: 'enquiry-form-axe-',
    viewport: { width: 390, height: 844 },
    timezoneId: 'Europe/London',
    errors: browserErrors,
  });
}, 240_000);

afterAll(async () => {
  await checker?.close();
  await stack?.stop();
});

/** A page with script on, where axe runs on what a browser without script showed (axe needs timers to run). */
let checker: DashboardBrowser;

/** axe-core on the page as shown: WCAG 2.0, 2.1 and 2.2 A and AA. Put in with evaluate, which the page's
 *  CSP does not govern; for a page shown without script, on its HTML in the checker's page. */
async function axeOf(shown: Page, javaScriptEnabled: boolean): Promise<AxeViolation[]> {
  const page = javaScriptEnabled ? shown : checker.page;
  if (!javaScriptEnabled) await page.setContent(await shown.content());
  return axeViolationsIn(page);
}

/** What a person does: follow the link, fill the form at a person's pace, send it. Answers the reference shown. */
async function enquire(browser: DashboardBrowser, person: { name: string; email: string }, javaScriptEnabled: boolean): Promise<string> {
  const { page } = browser;
  const axeViolations = (shown: Page) => axeOf(shown, javaScriptEnabled);
  await page.goto(`${stack.apiUrl}/enquire/${agency}?utm_campaign=${campaign.trackingCode}&utm_source=facebook`);
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Enquire about fostering');
  expect(await axeViolations(page)).toEqual([]);

  // Sent with nothing filled in: the form again, every problem listed and tied to its field.
  await page.getByRole('button', { name: 'Send my enquiry' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await page.getByRole('alert').getByRole('link').allInnerTexts()).toEqual([
    'Enter your name',
    'Enter an email address or a phone number',
    'Tick the box to agree to us contacting you, so we can reply',
  ]);
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Postcode (optional)').fill('cb4 1ab');
  await page.getByRole('checkbox', { name: 'Teenagers' }).check();
  await page.getByRole('radio', { name: 'Phone call' }).check();
  await page.getByRole('radio', { name: 'Evening' }).check();
  await page.getByRole('checkbox', { name: /^I agree to Cambridgeshire Fostering contacting me/ }).check();
  // A person takes more than three seconds over the form; a post sooner is a robot's.
  await page.waitForTimeout(3100);
  await page.getByRole('button', { name: 'Send my enquiry' }).click();
  await page.getByRole('heading', { name: 'Thank you: we have your enquiry' }).waitFor();
  expect(await page.getByText('by the end of the next working day').count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
  return page.locator('p.reference').innerText();
}

describe('the enquiry form, in Chromium', () => {
  const references: string[] = [];

  it.each([
    ['off', false],
    ['on', true],
  ] as const)(
    'works with JavaScript %s, its form and answer passing axe',
    async (_label, javaScriptEnabled) => {
      const browser = await launchDashboardBrowser({
        profilePrefix: 'enquiry-form-',
        viewport: { width: 390, height: 844 }, // a phone: the form is mobile-first
        timezoneId: 'Europe/London',
        errors: browserErrors,
        javaScriptEnabled,
      });
      try {
        const reference = await enquire(
          browser,
          { name: `Morgan ${javaScriptEnabled ? 'Scripted' : 'Plain'}`, email: 'morgan@example.org' },
          javaScriptEnabled,
        );
        expect(reference).toMatch(/^CAMBSF-\d{4}-\d{4}$/);
        references.push(reference);
      } finally {
        await browser.close();
      }
      expect(browserErrors).toEqual([]);
    },
    120_000,
  );

  it("is found in today's work by its reference, a web enquiry of the campaign its link named", async () => {
    expect(references).toHaveLength(2);
    const browser = await launchDashboardBrowser({
      profilePrefix: 'enquiry-form-staff-',
      viewport: { width: 1366, height: 768 },
      timezoneId: 'UTC',
      errors: browserErrors,
    });
    const { page } = browser;
    try {
      await page.goto(`${stack.apiUrl}/`);
      await page.getByRole('radio', { name: 'Recruitment team' }).check();
      await page.getByRole('textbox', { name: 'Agency', exact: true }).fill(agency);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.who[data-role="recruitment"]').waitFor();
      let previous: string | undefined;
      for (const reference of references) {
        const search = page.getByRole('search', { name: 'Find a household' });
        await search.getByLabel('Find a household').fill(reference);
        await search.getByRole('button', { name: 'Search' }).click();
        const match = page
          .getByRole('list', { name: 'Households found' })
          .getByRole('button', { name: new RegExp(`^${reference} · Morgan`) });
        await match.waitFor();
        // On the work list, marked as a web enquiry, waiting for its first response.
        const item = page.locator('ol.work li.work-item').filter({ hasText: reference });
        await item.waitFor();
        expect([await item.getAttribute('data-web-enquiry'), await item.getAttribute('data-state')]).toEqual([
          'true',
          'awaiting_first_response',
        ]);
        const householdId = await item.getAttribute('data-household');
        // Showing the panel reopens the household opened before while this one opens: its answer is
        // held back here until after this one's, as a slow network would, and must not be drawn.
        const lateAnswer = previous ? (url: URL) => url.pathname === `/households/${previous}` : undefined;
        if (lateAnswer)
          await page.route(lateAnswer, async (route) => {
            await new Promise((resolve) => setTimeout(resolve, 1500));
            await route.continue();
          });
        await match.click();
        const record = page.locator(`article.household[data-household="${householdId}"]`);
        await record.waitFor();
        if (lateAnswer) {
          await page.waitForTimeout(2500);
          await page.unroute(lateAnswer);
          expect(await page.locator('article.household').getAttribute('data-household')).toBe(householdId);
        }
        previous = householdId ?? undefined;
        expect(await record.innerText()).toContain(reference);
        expect(await record.innerText()).toContain(`campaign ${campaign.campaignId}`);
        expect(await record.innerText()).toContain('via Facebook');
        expect(await record.innerText()).toContain('Web enquiry');
        await page.getByRole('tab', { name: "Today's work" }).click();
      }
    } finally {
      await browser.close();
    }
    expect(browserErrors).toEqual([]);
    // The same through the API: the campaign of the link, recorded by the public.
    const token = await signLocalToken({ groups: ['recruitment'], agencyId: agency, secret: 'local-dev-secret' });
    const work = await stack.call('GET', `/caseload?on=${today()}`, { token });
    const ours = work.body.households.filter((h: { reference: string }) => references.includes(h.reference));
    expect(ours.map((h: { campaignId: string; channel: string; webEnquiry: boolean }) => [h.campaignId, h.channel, h.webEnquiry])).toEqual([
      [campaign.campaignId, 'facebook', true],
      [campaign.campaignId, 'facebook', true],
    ]);
  }, 120_000);
});
