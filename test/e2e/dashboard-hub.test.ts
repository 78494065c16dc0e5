// A hub's front door in a real browser (Debian's Chromium, playwright-core), against the running local
// stack: the east-of-england hub's recruitment team logs an enquiry from PE1, hands the household over
// to Peterborough (the council its record suggests) and Peterborough's recruitment team finds it in
// Today's work.
import type { Page } from 'playwright-core';
import { openDashboardOnRunningStack } from '../support/dashboard-browser';
import type { RunningStack } from '../support/running-stack';

let stack: RunningStack;
let page: Page;
let close: (() => Promise<void>) | undefined;
const browserErrors: string[] = [];

beforeAll(async () => {
  ({ stack, page, close } = await openDashboardOnRunningStack('dashboard-hub-', browserErrors));
}, 240_000);

afterAll(async () => {
  await close?.();
});

const roleNames = { recruitment: 'Recruitment team', manager: 'Service manager', regional: 'Regional hub' } as const;

async function signIn(role: keyof typeof roleNames, scope: string) {
  await page.goto(`${stack.apiUrl}/`);
  await page.locator('form.sign-in, header.top').first().waitFor();
  const signOut = page.getByRole('button', { name: 'Sign out' });
  if (await signOut.isVisible()) await signOut.click();
  await page.getByRole('radio', { name: roleNames[role] }).check();
  await page.getByRole('textbox', { name: role === 'regional' ? 'Region' : 'Agency', exact: true }).fill(scope);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(`.who[data-role="${role}"]`).waitFor();
}
const signInAsRecruitment = (agency: string) => signIn('recruitment', agency);
/** A figure of the panel shown, by its API field. */
const figure = async (field: string) =>
  page.locator(`[role="tabpanel"]:not([hidden]) [data-figure="${field}"]`).first().getAttribute('data-value');

describe("the hub's handover, in Chromium", () => {
  it("hands a household over from its record, and the council finds it in Today's work", async () => {
    await signInAsRecruitment('eoe-hub');
    await page.getByRole('tab', { name: 'Households' }).click();
    const form = page.getByRole('form', { name: 'Log an enquiry' });
    await form.getByLabel('How they heard').selectOption('website');
    await form.getByLabel('Name').fill('Olwen Featherstonehaugh');
    await form.getByLabel('Postcode district').fill('PE1');
    await form.getByRole('button', { name: 'Log enquiry' }).click();
    const record = page.locator('article.household');
    await record.waitFor();
    const householdId = (await record.getAttribute('data-household'))!;

    // Only a hub's record offers the handover, to one of its member councils: PE1 is Peterborough's
    // (the region file's postcode districts), so Peterborough comes chosen.
    const handover = page.getByRole('form', { name: 'Hand over' });
    const council = handover.getByLabel('To the council');
    expect(await council.locator('option').allInnerTexts()).toEqual(['cambs', 'peterborough', 'norfolk']);
    expect([await council.inputValue(), await handover.getByText('Suggested from the postcode PE1').count()]).toEqual(['peterborough', 1]);
    await handover.getByRole('button', { name: 'Hand over' }).click();
    await page.locator(`article.household[data-household="${householdId}"][data-status="closed"]`).waitFor();
    await stack.idle();

    // Peterborough has it at once on its work list.
    await signInAsRecruitment('peterborough');
    expect(await page.getByRole('tab', { name: "Today's work" }).getAttribute('aria-selected')).toBe('true');
    const item = page.locator(`li.work-item[data-household="${householdId}"]`).first();
    await item.waitFor();

    // Its record, opened from the work list, is the council's to move on: no handover there.
    await item.locator('button.link').first().click();
    await page.locator(`article.household[data-household="${householdId}"][data-status="open"]`).waitFor();
    await page.getByRole('form', { name: 'Close' }).waitFor();
    expect(await page.getByRole('form', { name: 'Hand over' }).count()).toBe(0);
    expect(browserErrors).toEqual([]);
  });

  it("shows the hub's manager and the region's reader the front door's figures, and a council's manager no such panel", async () => {
    // The household the hub logged today and handed to Peterborough (above): one enquiry, one handover.
    for (const [role, scope] of [
      ['manager', 'eoe-hub'],
      ['regional', 'east-of-england'],
    ] as const) {
      await signIn(role, scope);
      await page.getByRole('tab', { name: 'Hub front door', exact: true }).click();
      await page.locator('[role="tabpanel"]:not([hidden]) .results:not([aria-busy]) .figures').first().waitFor();
      expect([role, await figure('enquiries'), await figure('handedOver'), await figure('applications')]).toEqual([role, '1', '1', '0']);
      // By council: Peterborough's row, its one household handed over, none applied yet.
      const peterborough = page.locator('[role="tabpanel"]:not([hidden]) tr[data-row="peterborough"]');
      expect([
        await peterborough.locator('[data-figure="handedOver"]').innerText(),
        await peterborough.locator('[data-figure="applications"]').innerText(),
      ]).toEqual(['1', '0']);
      // The published figures are there as context.
      expect(await page.locator('[role="tabpanel"]:not([hidden])').innerText()).toContain("Foster with North East's first year 23.1%");
    }
    await signIn('manager', 'cambs');
    expect(await page.getByRole('tab', { name: 'Hub front door', exact: true }).count()).toBe(0);
    expect(browserErrors).toEqual([]);
  });
});
