// The retention rule enforced against DynamoDB Local: by reg. 32's grounds, each at its boundary (a day
// before and a day after its period ends), under each agency's own periods; the job reads only the
// clocks that came due, bounded per run; an erasure undone by a restore is done again from the ledger;
// and nothing else changes: not a metric, not an item of the analytics records.
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { todayUtc } from '../../shared/domain/calendar';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { settingsForScope } from '../../shared/queries/agency-settings';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import { bedsOnHoldFor, capacityFor, sufficiencyFor } from '../../shared/queries/capacity';
import { resignationForecastFor } from '../../shared/queries/forecast';
import { recordAgencySettingsChange } from '../../shared/store/agency-ledger';
import { erasuresSince, RETENTION_JOB_SUB, auditEntries } from '../../shared/store/audit';
import { getContact, saveContact } from '../../shared/store/contacts';
import { enforceRetention, writeMissingClocks } from '../../shared/store/retention';
import { foldHousehold } from '../../shared/domain/household';
import { householdRecordItems } from '../../shared/store/households';
import { auditTable, contactsTable, projectionsTable, tableName, type TableDefinition } from '../../shared/store/tables';
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
const ago = (days: number) => new Date(Date.parse(now) - days * DAY_MS).toISOString();
const later = (days: number) => new Date(Date.parse(now) + days * DAY_MS).toISOString();

const agencyId = 'agency-retention';
/** An agency that keeps its enquiries' details 1,000 days. */
const longerAgencyId = 'agency-retention-longer';
const inAgency = (agency: string) => (event: HouseholdEvent) =>
  ({ ...event, detail: { ...event.detail, agencyId: agency } }) as HouseholdEvent;

/** Each household of the story, its events, and whether its contact details are due now. */
const households = {
  enquiryClosedADayPastItsPeriod: {
    due: 'enquiry',
    events: (h: string) => [enquiry(h, ago(800)), initialVisit(h, ago(790)), closure(h, ago(731), 'not_proceeding')],
  },
  enquiryClosedADayBeforeItsPeriodEnds: {
    due: undefined,
    events: (h: string) => [enquiry(h, ago(760)), closure(h, ago(729), 'no_response')],
  },
  applicantWithdrawnADayPastItsPeriod: {
    due: 'applicant',
    events: (h: string) => [enquiry(h, ago(1300)), assessment(h, ago(1200)), closure(h, ago(1096), 'AW3')],
  },
  applicantWithdrawnADayBeforeItsPeriodEnds: {
    due: undefined,
    events: (h: string) => [enquiry(h, ago(1300)), assessment(h, ago(1200)), closure(h, ago(1094), 'AW4')],
  },
  // Two years and more after the refusal: an enquiry's period would be over, an applicant's is not.
  applicantRefused800DaysAgo: {
    due: undefined,
    events: (h: string) => [enquiry(h, ago(1000)), assessment(h, ago(900)), closure(h, ago(800), 'not_approved')],
  },
  carerResignedADayPastItsPeriod: {
    due: 'carer',
    events: (h: string) => [enquiry(h, ago(6000)), approval(h, ago(5500), 1), resignation(h, ago(3654))],
  },
  carerResignedADayBeforeItsPeriodEnds: {
    due: undefined,
    events: (h: string) => [enquiry(h, ago(6000)), approval(h, ago(5500), 1), resignation(h, ago(3652), 'moved_area')],
  },
  carerResignedThreeYearsAgo: {
    due: undefined,
    events: (h: string) => [enquiry(h, ago(5000)), approval(h, ago(4000), 1), resignation(h, ago(1100))],
  },
  reopened: {
    due: undefined,
    events: (h: string) => [
      enquiry(h, ago(1500)),
      closure(h, ago(1400), 'no_response'),
      initialVisit(h, ago(365)),
      assessment(h, ago(200)),
    ],
  },
  serving: {
    due: undefined,
    events: (h: string) => [
      enquiry(h, ago(4000)),
      approval(h, ago(3500), 2),
      placementStart(h, `${h}-p1`, ago(400)),
      holdStart(h, `${h}-hold`, ago(30), 'matching'),
    ],
  },
  approvedAfterEarlierClosure: {
    due: undefined,
    events: (h: string) => [
      enquiry(h, ago(2500)),
      closure(h, ago(2400), 'not_proceeding'),
      approval(h, ago(1800), 1),
      riskFlag(h, ago(60)),
    ],
  },
  openEnquiry: { due: undefined, events: (h: string) => [enquiry(h, ago(20))] },
} satisfies Record<string, { due: string | undefined; events: (householdId: string) => HouseholdEvent[] }>;
type Story = keyof typeof households;
const stories = Object.keys(households) as Story[];
const contactOf = (h: string) => ({ name: `Name of ${h}`, email: `${h}@example.org`, phone: '07700 900000' });

async function allItems(table: TableDefinition) {
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
/** The analytics records: every item of the projections table but the retention job's own clocks. */
const analyticsItems = async () => (await allItems(projectionsTable)).filter((item) => !String(item.pk).startsWith('RETENTION#'));

async function everyMetric(agency: string) {
  const settings = await settingsForScope(agency);
  return {
    capacity: await capacityFor(agency, today),
    bedsOnHold: await bedsOnHoldFor(agency, today),
    conversion: await counts
      .caughtUp()
      .then(() => campaignConversionFor(agency, { from: ago(3650).slice(0, 10), to: today, groupBy: 'channel' })),
    forecast: await resignationForecastFor(agency, {}, settings),
    sufficiency: await sufficiencyFor(agency, today, settings),
  };
}

beforeAll(async () => {
  await useFreshTables();
  await recordAgencySettingsChange({
    eventId: 'settings-longer',
    agencyId: longerAgencyId,
    occurredAt: ago(2000),
    attritionRate: 0.1,
    targetInHouseShare: 0.6,
    enquiryRetentionDays: 1000,
  });
  for (const story of stories) {
    for (const event of households[story].events(story)) await projectHouseholdEvent(inAgency(agencyId)(event));
    await saveContact(agencyId, story, contactOf(story));
  }
  // The agency with a longer period: its enquiry closed 800 days ago is kept until day 1,000.
  for (const event of households.enquiryClosedADayPastItsPeriod.events('longer-closed'))
    await projectHouseholdEvent(inAgency(longerAgencyId)(event));
  await saveContact(longerAgencyId, 'longer-closed', contactOf('longer-closed'));
  // A closure long ago whose details were already erased on request: nothing to do.
  for (const event of households.enquiryClosedADayPastItsPeriod.events('erased-on-request'))
    await projectHouseholdEvent(inAgency(agencyId)(event));
  // Details whose enquiry never reached the records.
  await saveContact(agencyId, 'never-recorded', contactOf('never-recorded'));
}, 60_000);
// After the tables exist: the relay reads their stream from its start.
const counts = runStreamReader();

describe('enforcing reg. 32 on DynamoDB Local', () => {
  let before: { metrics: unknown; other: unknown; analytics: unknown[]; contacts: Record<string, unknown>[] };
  let report: Awaited<ReturnType<typeof enforceRetention>>;

  beforeAll(async () => {
    before = {
      metrics: await everyMetric(agencyId),
      other: await everyMetric(longerAgencyId),
      analytics: await analyticsItems(),
      contacts: await allItems(contactsTable),
    };
    report = await enforceRetention({ at: now });
  }, 30_000);

  it('erases exactly the details whose period ended: an enquiry after 730 days, an applicant after 1,095, a carer after 3,653', async () => {
    for (const story of stories) {
      expect([story, await getContact(agencyId, story)]).toEqual([
        story,
        households[story].due ? undefined : expect.objectContaining({ name: `Name of ${story}` }),
      ]);
    }
  });

  it("keeps what an agency's longer period keeps", async () => {
    expect(await getContact(longerAgencyId, 'longer-closed')).toBeDefined();
  });

  it('judges only the clocks that came due, and reports counts only', () => {
    expect(report).toEqual({
      at: now,
      erased: { enquiry: 1, applicant: 1, carer: 1, unrecorded: 0 },
      // Due now: the three erased; the enquiry closed 729 days ago and the longer agency's (put off to
      // their own dates); the reopened, the approved and the one erased on request (dropped). Not
      // looked at: the applicants and carers whose minimum has not run, every open household.
      clocks: { judged: 8, putOff: 2, dropped: 3 },
      skipped: 0,
      erasedAgain: 0,
      more: false,
    });
  });

  it("erases the search entries of the erased details with them, and keeps the others'", async () => {
    const searchedFor = new Set((await allItems(contactsTable)).map((item) => item.forHousehold).filter(Boolean));
    expect(stories.filter((story) => searchedFor.has(story) === Boolean(households[story].due))).toEqual([]);
  });

  it('records each erasure in the ledger (household and date, no personal data) and the access audit', async () => {
    const ledger = await erasuresSince(ago(1));
    expect(ledger.map((r) => r.householdId).sort()).toEqual(stories.filter((s) => households[s].due).sort());
    expect(ledger.every((r) => Object.keys(r).sort().join() === 'agencyId,erasedAt,householdId')).toBe(true);
    const { entries } = await auditEntries(agencyId, { from: ago(1), to: later(1) }, {}, { limit: 100 });
    expect(
      entries
        .filter((e) => e.action === 'erased' && e.sub === RETENTION_JOB_SUB)
        .flatMap((e) => e.householdIds)
        .sort(),
    ).toEqual(ledger.map((r) => r.householdId).sort());
    expect(JSON.stringify(await allItems(auditTable))).not.toMatch(/Name of|@example\.org|07700/);
  });

  it('changes no metric and no item of the analytics records', async () => {
    expect(await everyMetric(agencyId)).toStrictEqual(before.metrics);
    expect(await everyMetric(longerAgencyId)).toStrictEqual(before.other);
    expect(await analyticsItems()).toStrictEqual(before.analytics);
  });

  it('reads nothing again when run again: the judged clocks are gone or put off', async () => {
    const contactsLeft = await allItems(contactsTable);
    const again = await enforceRetention({ at: now });
    expect(again.clocks.judged).toBe(0);
    expect(await allItems(contactsTable)).toStrictEqual(contactsLeft);
  });

  it('a day after their periods end, the enquiry, the applicant and the carer kept a day before are erased', async () => {
    const dayAfter = await enforceRetention({ at: later(2) });
    expect(dayAfter.erased).toEqual({ enquiry: 1, applicant: 1, carer: 1, unrecorded: 0 });
    for (const story of [
      'enquiryClosedADayBeforeItsPeriodEnds',
      'applicantWithdrawnADayBeforeItsPeriodEnds',
      'carerResignedADayBeforeItsPeriodEnds',
    ] as const)
      expect(await getContact(agencyId, story)).toBeUndefined();
    for (const story of ['applicantRefused800DaysAgo', 'carerResignedThreeYearsAgo', 'reopened', 'serving', 'openEnquiry'] as const)
      expect(await getContact(agencyId, story)).toBeDefined();
  });

  it("the longer agency's enquiry: kept a day before day 1,000, erased a day after", async () => {
    expect((await enforceRetention({ at: later(1000 - 731 - 1) })).erased.enquiry).toBe(0);
    expect(await getContact(longerAgencyId, 'longer-closed')).toBeDefined();
    expect((await enforceRetention({ at: later(1000 - 731 + 1) })).erased.enquiry).toBe(1);
    expect(await getContact(longerAgencyId, 'longer-closed')).toBeUndefined();
  });

  it('details whose enquiry was never recorded: erased by the enquiry period after they were taken', async () => {
    expect((await enforceRetention({ at: later(729) })).erased.unrecorded).toBe(0);
    expect(await getContact(agencyId, 'never-recorded')).toBeDefined();
    expect((await enforceRetention({ at: later(731) })).erased.unrecorded).toBe(1);
    expect(await getContact(agencyId, 'never-recorded')).toBeUndefined();
  });

  it('an erased item put back as a restore would is erased again by the next run', async () => {
    const erasedHousehold = 'enquiryClosedADayPastItsPeriod';
    const restored = before.contacts.filter((item) => item.householdId === erasedHousehold || item.forHousehold === erasedHousehold);
    expect(restored.length).toBeGreaterThan(1); // the details and their search entries
    for (const Item of restored) await dynamoDbDocumentClient().send(new PutCommand({ TableName: tableName(contactsTable), Item }));
    expect(await getContact(agencyId, erasedHousehold)).toBeDefined();

    const next = await enforceRetention({ at: new Date().toISOString() });
    expect(next.erasedAgain).toBe(1);
    expect(await getContact(agencyId, erasedHousehold)).toBeUndefined();
    const left = (await allItems(contactsTable)).filter((item) => item.forHousehold === erasedHousehold);
    expect(left).toEqual([]);
  });
});

describe('a run is bounded and the next one carries on', () => {
  beforeAll(async () => {
    for (const n of [1, 2, 3]) {
      const h = `bounded-${n}`;
      for (const event of [enquiry(h, ago(900)), closure(h, ago(800), 'no_response')])
        await projectHouseholdEvent(inAgency(agencyId)(event));
      await saveContact(agencyId, h, contactOf(h));
    }
  });

  it('judges at most maxClocks, says more are due, and the next runs erase the rest', async () => {
    const first = await enforceRetention({ at: now, maxClocks: 2 });
    expect(first.clocks.judged).toBe(2);
    expect(first.more).toBe(true);
    const second = await enforceRetention({ at: now, maxClocks: 2 });
    expect(second.erased.enquiry + first.erased.enquiry).toBe(3);
    for (const n of [1, 2, 3]) expect(await getContact(agencyId, `bounded-${n}`)).toBeUndefined();
  });

  it('stops taking clocks when it runs out of time', async () => {
    const h = 'bounded-late';
    for (const event of [enquiry(h, ago(900)), closure(h, ago(800), 'no_response')]) await projectHouseholdEvent(inAgency(agencyId)(event));
    await saveContact(agencyId, h, contactOf(h));
    const stopped = await enforceRetention({ at: now, outOfTime: () => true });
    expect(stopped).toMatchObject({ more: true, clocks: { judged: 0 } });
    expect(await getContact(agencyId, h)).toBeDefined();
  });
});

describe('records stored before the clocks existed', () => {
  const h = 'stored-before-clocks';
  beforeAll(async () => {
    await enforceRetention({ at: now }); // what the tests above left due
    // As a table from before the clocks holds them: the household's items and the details, no clock.
    const state = foldHousehold(agencyId, h, [enquiry(h, ago(900)), closure(h, ago(800), 'no_response')].map(inAgency(agencyId)), []);
    for (const Item of householdRecordItems(state, 2))
      await dynamoDbDocumentClient().send(new PutCommand({ TableName: tableName(projectionsTable), Item }));
    await dynamoDbDocumentClient().send(
      new PutCommand({ TableName: tableName(contactsTable), Item: { agencyId, householdId: h, ...contactOf(h), recordedAt: ago(900) } }),
    );
  });

  it('are not seen by a run, until their clocks are written once; then the next run erases what is due', async () => {
    expect((await enforceRetention({ at: now })).clocks.judged).toBe(0);
    expect(await getContact(agencyId, h)).toBeDefined();
    const backfill = await writeMissingClocks();
    expect(backfill.written).toBeGreaterThanOrEqual(2); // its household's clock and its details'
    const run = await enforceRetention({ at: now });
    expect(run.erased.enquiry).toBe(1);
    expect(await getContact(agencyId, h)).toBeUndefined();
  });

  it('writing the clocks stops when out of time, and carries on from where it stopped', async () => {
    const whole = await writeMissingClocks();
    let resumeFrom: Awaited<ReturnType<typeof writeMissingClocks>>['resumeFrom'];
    let read = 0;
    let calls = 0;
    do {
      // Out of time after every page: each call reads one page and says where to go on.
      const part = await writeMissingClocks({ outOfTime: () => true, resumeFrom, pageSize: 10 });
      read += part.read;
      resumeFrom = part.resumeFrom;
      calls += 1;
    } while (resumeFrom && calls < 1000);
    expect(calls).toBeGreaterThan(2);
    expect(resumeFrom).toBeUndefined();
    expect(read).toBe(whole.read);
  });
});
