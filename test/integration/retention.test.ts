// The retention rule enforced against DynamoDB Local: exactly the contact details past the retention
// period are erased, and nothing else changes: not a metric, not an item of the analytics records.
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { todayUtc } from '../../shared/domain/calendar';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { settingsForScope } from '../../shared/queries/agency-settings';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import { bedsOnHoldFor, capacityFor, sufficiencyFor } from '../../shared/queries/capacity';
import { resignationForecastFor } from '../../shared/queries/forecast';
import { getContact, saveContact, searchTerms } from '../../shared/store/contacts';
import { enforceRetention } from '../../shared/store/retention';
import { contactsTable, projectionsTable, tableName } from '../../shared/store/tables';
import {
  approval,
  assessment,
  closure,
  enquiry,
  holdStart,
  initialVisit,
  placementStart,
  resignation,
  riskFlag,
} from '../support/funnel-events';
import { runStreamReader, useFreshTables } from '../support/tables';

const DAY_MS = 86_400_000;
const now = new Date().toISOString();
const today = todayUtc();
const ago = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
const years = (n: number) => Math.round(n * 365);

const agencyId = 'agency-retention';
const otherAgencyId = 'agency-retention-b';
const inAgency = (agency: string) => (event: HouseholdEvent) =>
  ({ ...event, detail: { ...event.detail, agencyId: agency } }) as HouseholdEvent;

/** Each household of the story, its events, and whether its contact details are due now. */
const households = {
  closed3YearsAgo: {
    due: true,
    events: (h: string) => [enquiry(h, ago(years(3.2))), initialVisit(h, ago(years(3.1))), closure(h, ago(years(3)), 'not_proceeding')],
  },
  closed1YearAgo: { due: false, events: (h: string) => [enquiry(h, ago(years(1.2))), closure(h, ago(years(1)), 'no_response')] },
  reopened: {
    due: false,
    events: (h: string) => [
      enquiry(h, ago(years(4))),
      closure(h, ago(years(3.5)), 'no_response'),
      initialVisit(h, ago(years(1))),
      assessment(h, ago(200)),
    ],
  },
  approved: {
    due: false,
    events: (h: string) => [
      enquiry(h, ago(years(9))),
      approval(h, ago(years(8)), 2),
      placementStart(h, `${h}-p1`, ago(400)),
      holdStart(h, `${h}-hold`, ago(30), 'matching'),
    ],
  },
  approvedAfterEarlierClosure: {
    due: false,
    events: (h: string) => [
      enquiry(h, ago(years(7))),
      closure(h, ago(years(6.5)), 'not_proceeding'),
      approval(h, ago(years(5)), 1),
      riskFlag(h, ago(60)),
    ],
  },
  resigned3YearsAgo: {
    due: true,
    events: (h: string) => [enquiry(h, ago(years(10))), approval(h, ago(years(9)), 1), resignation(h, ago(years(3)))],
  },
  resigned1YearAgo: {
    due: false,
    events: (h: string) => [enquiry(h, ago(years(10))), approval(h, ago(years(9)), 1), resignation(h, ago(years(1)), 'moved_area')],
  },
  openEnquiry: { due: false, events: (h: string) => [enquiry(h, ago(20))] },
} satisfies Record<string, { due: boolean; events: (householdId: string) => HouseholdEvent[] }>;
type Story = keyof typeof households;
const stories = Object.keys(households) as Story[];
const contactOf = (h: string) => ({ name: `Name of ${h}`, email: `${h}@example.org`, phone: '07700 900000' });

/** Contact details as if taken `days` ago (saveContact stamps now). */
async function contactTaken(agency: string, householdId: string, at: string): Promise<void> {
  await dynamoDbDocumentClient().send(
    new PutCommand({
      TableName: tableName(contactsTable),
      Item: { agencyId: agency, householdId, ...contactOf(householdId), recordedAt: at },
    }),
  );
}

async function allItems(table: typeof contactsTable) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbDocumentClient().send(
      new ScanCommand({ TableName: tableName(table), ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function everyMetric(agency: string) {
  const settings = await settingsForScope(agency);
  return {
    capacity: await capacityFor(agency, today),
    bedsOnHold: await bedsOnHoldFor(agency, today),
    conversion: await counts
      .caughtUp()
      .then(() => campaignConversionFor(agency, { from: ago(years(11)).slice(0, 10), to: today, groupBy: 'channel' })),
    forecast: await resignationForecastFor(agency, {}, settings),
    sufficiency: await sufficiencyFor(agency, today, settings),
  };
}

beforeAll(async () => {
  await useFreshTables();
  for (const story of stories) {
    for (const event of households[story].events(story)) await projectHouseholdEvent(inAgency(agencyId)(event));
    await saveContact(agencyId, story, contactOf(story));
  }
  // Another agency: its own closed enquiry, due too.
  for (const event of households.closed3YearsAgo.events('b-closed')) await projectHouseholdEvent(inAgency(otherAgencyId)(event));
  await saveContact(otherAgencyId, 'b-closed', contactOf('b-closed'));
  // A closure long ago whose details were already erased by hand: nothing to do.
  for (const event of households.closed3YearsAgo.events('erased-by-hand')) await projectHouseholdEvent(inAgency(agencyId)(event));
  // Details taken years ago whose enquiry event never reached the projections.
  await contactTaken(agencyId, 'never-recorded-old', ago(years(2.5)));
  await contactTaken(agencyId, 'never-recorded-new', ago(30));
  // An approved carer's details taken long ago: kept while approved.
  await contactTaken(agencyId, 'approved-long-ago', ago(years(9)));
  for (const event of households.approved.events('approved-long-ago')) await projectHouseholdEvent(inAgency(agencyId)(event));
}, 60_000);
// After the tables exist: the relay reads their stream from its start.
const counts = runStreamReader();

describe('enforcing the retention rule (two years) on DynamoDB Local', () => {
  let before: { metrics: Awaited<ReturnType<typeof everyMetric>>; other: Awaited<ReturnType<typeof everyMetric>>; projections: unknown[] };
  let report: Awaited<ReturnType<typeof enforceRetention>>;

  beforeAll(async () => {
    before = {
      metrics: await everyMetric(agencyId),
      other: await everyMetric(otherAgencyId),
      projections: await allItems(projectionsTable),
    };
    report = await enforceRetention({ at: now, retentionDays: 730 });
  }, 30_000);

  it('erases exactly the details of enquiries closed, and carers resigned, more than two years ago', async () => {
    for (const story of stories) {
      expect([story, await getContact(agencyId, story)]).toEqual([
        story,
        households[story].due ? undefined : expect.objectContaining({ name: `Name of ${story}` }),
      ]);
    }
    expect(await getContact(otherAgencyId, 'b-closed')).toBeUndefined();
  });

  it('erases details taken more than two years ago whose enquiry was never recorded, and keeps the rest', async () => {
    expect(await getContact(agencyId, 'never-recorded-old')).toBeUndefined();
    expect(await getContact(agencyId, 'never-recorded-new')).toBeDefined();
    expect(await getContact(agencyId, 'approved-long-ago')).toBeDefined();
  });

  it('reports counts only', () => {
    expect(report).toEqual({
      at: now,
      retentionDays: 730,
      cutoff: new Date(Date.parse(now) - 730 * DAY_MS).toISOString(),
      agencies: 2,
      contacts: stories.length + 4,
      erased: { closed: 2, resigned: 1, orphaned: 1 },
      skipped: 0,
      itemsRead: expect.any(Number),
    });
  });

  it("erases the search entries of the erased details with them, and keeps the others'", async () => {
    const searchedFor = new Set((await allItems(contactsTable)).map((item) => item.forHousehold).filter(Boolean));
    expect(stories.filter((story) => searchedFor.has(story) === households[story].due)).toEqual([]);
    expect(searchedFor.has('b-closed')).toBe(false);
  });

  it('reads the contact keys (their search entries among them), the closures and resignations before the cutoff, and the state keys of old details: no more', () => {
    // The scan reads every item of the contacts table: each contact and the search entries saveContact wrote.
    const searchEntries = [...stories, 'b-closed'].reduce((n, h) => n + searchTerms(contactOf(h)).length, 0);
    const contacts = stories.length + 4 + searchEntries;
    const closedOrResignedBeforeCutoff = 4; // closed3YearsAgo, resigned3YearsAgo, erased-by-hand; b-closed in the other agency
    const statesOfOldDetails = 1; // approved-long-ago's (never-recorded-old has none to read)
    // The closures and resignations are found as keys (the indexes hold keys only), then read by key.
    expect(report.itemsRead).toBe(contacts + 2 * closedOrResignedBeforeCutoff + statesOfOldDetails);
  });

  it('changes no metric and no item of the analytics records', async () => {
    expect(await everyMetric(agencyId)).toStrictEqual(before.metrics);
    expect(await everyMetric(otherAgencyId)).toStrictEqual(before.other);
    expect(await allItems(projectionsTable)).toStrictEqual(before.projections);
  });

  it('erases nothing more when run again', async () => {
    const contactsLeft = await allItems(contactsTable);
    const again = await enforceRetention({ at: new Date().toISOString(), retentionDays: 730 });
    expect(again.erased).toEqual({ closed: 0, resigned: 0, orphaned: 0 });
    expect(await allItems(contactsTable)).toStrictEqual(contactsLeft);
  });

  it('follows a shorter configured period: one year erases the enquiry closed a year ago', async () => {
    const oneYear = await enforceRetention({ at: new Date().toISOString(), retentionDays: 360 });
    expect(oneYear.erased).toEqual({ closed: 1, resigned: 1, orphaned: 0 });
    expect(await getContact(agencyId, 'closed1YearAgo')).toBeUndefined();
    expect(await getContact(agencyId, 'resigned1YearAgo')).toBeUndefined();
    expect(await getContact(agencyId, 'reopened')).toBeDefined();
    expect(await getContact(agencyId, 'approved')).toBeDefined();
  });
});
