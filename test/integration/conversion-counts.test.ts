// SPEC §5.1 from conversion counts (issue 14): an agency's counts per day, kept from the projections
// table's stream as its households move on, so that a window's campaign conversion reads the window's
// days, not its households. Against DynamoDB Local: the household projector writes, and the stream is
// read as the local runtime reads it (local/outbox-relay.ts, the same code as the Lambda in AWS).
import fc from 'fast-check';
import { marshall } from '@aws-sdk/util-dynamodb';
import { conversionCountChanges, type ConversionCount } from '../../shared/domain/campaign-conversion';
import type { HouseholdState } from '../../shared/domain/household';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { handler } from '../../functions/projectors/conversion-counts';
import { lambdaContext } from '../../local/lambda-runtime';
import {
  applyStateChange,
  applyStateChanges,
  conversionCountsBetween,
  rebuildConversionCounts,
} from '../../shared/store/conversion-counts';
import { getHouseholdState, householdKey, readStoredHousehold, STATE_SK } from '../../shared/store/households';
import { ReadTally } from '../../shared/store/query-pages';
import { approval, assessment, closure, enquiry, initialVisit, referralOn } from '../support/funnel-events';
import { keepConversionCounts, useFreshTables } from '../support/tables';

beforeAll(useFreshTables);
const counts = keepConversionCounts();

const EVERY_DAY = [{ from: '2010-01-01', to: '2029-12-31' }];
const inAgency = (agencyId: string, event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;

/** Counts as comparable text, zeros left out (a count moved away from a day leaves a 0 behind). */
const asText = (list: readonly ConversionCount[]) => {
  const sums = new Map<string, number>();
  for (const c of list) {
    const key = `${c.day} ${c.figure} ${c.campaignId ?? '-'} ${c.channel ?? '-'} ${c.referredTo ?? '-'}`;
    sums.set(key, (sums.get(key) ?? 0) + c.n);
  }
  return [...sums]
    .filter(([, n]) => n !== 0)
    .map(([key, n]) => `${key} = ${n}`)
    .sort();
};

/** Enquiries, visits, assessments and approvals, a closure a later stage reopens, a referral on. */
const funnel: HouseholdEvent[] = [
  enquiry('a', '2019-07-02', { campaignId: 'link', channel: 'facebook' }),
  initialVisit('a', '2019-07-10'),
  assessment('a', '2019-08-01', 2),
  approval('a', '2020-01-20', 2),
  enquiry('b', '2019-07-03', { campaignId: 'link', channel: 'information_event' }),
  closure('b', '2019-07-05', 'no_response'),
  initialVisit('b', '2019-07-25'),
  enquiry('c', '2019-07-04', { channel: 'website' }),
  referralOn('c', '2019-07-09', 'elsewhere'),
  enquiry('d', '2018-12-31', { campaignId: 'link', channel: 'facebook' }),
  initialVisit('d', '2019-01-02'),
  closure('d', '2019-01-20', 'not_suitable'),
];

describe("an agency's conversion counts", () => {
  it('equal, in whatever order the events arrive, what the households as they now stand add', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(funnel, { minLength: funnel.length }), async (order) => {
        const agencyId = `counts-order-${run++}`;
        for (const event of order) await projectHouseholdEvent(inAgency(agencyId, event));
        await counts.caughtUp();
        const states = await Promise.all(['a', 'b', 'c', 'd'].map((id) => getHouseholdState(agencyId, id)));
        const expected = states.flatMap((s) => conversionCountChanges(undefined, s));
        expect(asText(await conversionCountsBetween(agencyId, EVERY_DAY))).toEqual(asText(expected));
        expect(expected.length).toBeGreaterThan(10);
      }),
      { numRuns: 8, seed: 14 },
    );
  });

  it('count a change handed over twice once, and never apply an earlier version over a later one', async () => {
    const agencyId = 'counts-twice';
    const enquired = enquiry('h', '2019-07-02', { campaignId: 'link', channel: 'facebook' });
    const first = await state(agencyId, 'h', enquired);
    const visited = await state(agencyId, 'h', enquired, initialVisit('h', '2019-07-09'));
    const one = { agencyId, householdId: 'h', version: 1, after: first };
    const two = { agencyId, householdId: 'h', version: 2, before: first, after: visited };
    expect(await applyStateChange(one)).toBe(1);
    expect(await applyStateChange(one)).toBe(0); // the stream's record handed over again
    expect(await applyStateChange(two)).toBe(2); // the enquiry's day (cohort, days to visit) and the visit's
    expect(await applyStateChange(two)).toBe(0);
    expect(await applyStateChange(one)).toBe(0); // an earlier version, after the later
    expect(asText(await conversionCountsBetween(agencyId, EVERY_DAY))).toEqual(asText(conversionCountChanges(undefined, visited)));
  });

  it('stop at the first stream record that fails, so that it and those after it are handed over again', async () => {
    const agencyId = 'counts-fault';
    const good = await state(agencyId, 'ok', enquiry('ok', '2019-07-02'));
    // A partition key over DynamoDB's 2,048 bytes: DynamoDB refuses the write, as a fault would.
    const refused = await state('x'.repeat(2100), 'no', enquiry('no', '2019-07-02'));
    const after = await state(agencyId, 'after', enquiry('after', '2019-07-03'));
    // Each as the stream carries a new state item: its keys, and its image in DynamoDB's typed form.
    const records = [good, refused, after].map((s, i) => ({
      eventName: 'INSERT' as const,
      dynamodb: {
        SequenceNumber: `${100 + i}`,
        Keys: { pk: { S: householdKey(s.agencyId, s.householdId) }, sk: { S: STATE_SK } },
        NewImage: marshall({ version: 1, household: s }, { removeUndefinedValues: true, convertClassInstanceToMap: true }),
      },
    }));
    const result = await applyStateChanges(records);
    expect(result.failedAt).toBe(1);
    expect(String(result.error)).toMatch(/key/i);
    const stored = asText(await conversionCountsBetween(agencyId, EVERY_DAY));
    expect(stored).toEqual(asText(conversionCountChanges(undefined, good))); // the record after was not applied

    // The Lambda in AWS: a partial batch response from the failing record, so Lambda hands it and
    // those after it over again; the record before it, handed over with them, is counted once.
    const answer = await handler({ Records: records } as unknown as DynamoDBStreamEvent, lambdaContext('ConversionCountsKeeper'));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(asText(await conversionCountsBetween(agencyId, EVERY_DAY))).toEqual(stored);
  });

  it('are rewritten from the stored states after changes were lost, and the stream goes on from there', async () => {
    const agencyId = 'counts-rebuild';
    for (const event of funnel) await projectHouseholdEvent(inAgency(agencyId, event));
    await counts.caughtUp();
    const households = ['a', 'b', 'c', 'd'];
    const asStored = async () =>
      asText(
        (await Promise.all(households.map((id) => getHouseholdState(agencyId, id)))).flatMap((h) => conversionCountChanges(undefined, h)),
      );
    const stored = async () => asText(await conversionCountsBetween(agencyId, EVERY_DAY));
    // What a dead-lettered batch leaves: a household's counts missing, and counts of one never stored.
    const { state: a, version } = await readStoredHousehold(agencyId, 'a');
    await applyStateChange({ agencyId, householdId: 'a', version: 1_000, before: a });
    const ghost = await state(agencyId, 'ghost', enquiry('ghost', '2015-03-01'));
    await applyStateChange({ agencyId, householdId: 'ghost', version: 1, after: ghost });
    expect(await stored()).not.toEqual(await asStored());

    const report = await rebuildConversionCounts(agencyId);
    expect(await stored()).toEqual(await asStored());
    expect(report).toMatchObject({ households: 4, daysRemoved: 1 }); // the ghost's day
    // The stream goes on: a version the rebuild counted is refused, a later one applied once.
    expect(await applyStateChange({ agencyId, householdId: 'a', version, after: a })).toBe(0);
    await projectHouseholdEvent(inAgency(agencyId, assessment('b', '2019-08-10')));
    await counts.caughtUp();
    expect(await stored()).toEqual(await asStored());
  });

  it('let a window read its days, not its households: sixty enquiries on two days are two items', async () => {
    const agencyId = 'counts-reads';
    for (let i = 0; i < 60; i++) {
      await projectHouseholdEvent(inAgency(agencyId, enquiry(`e${i}`, i % 2 === 0 ? '2019-07-02' : '2019-07-03', { channel: 'phone' })));
    }
    await counts.caughtUp();
    const tally = new ReadTally();
    const days = await conversionCountsBetween(agencyId, [{ from: '2019-07-01', to: '2019-07-31' }], tally);
    expect(tally.itemsRead).toBe(2);
    expect(asText(days)).toEqual([
      '2019-07-02 cohortOpen - phone - = 30',
      '2019-07-02 enquiries - phone - = 30',
      '2019-07-03 cohortOpen - phone - = 30',
      '2019-07-03 enquiries - phone - = 30',
    ]);
    const figures = await campaignConversionFor(agencyId, { from: '2019-07-01', to: '2019-07-31' });
    expect(figures.cohort.enquiries).toBe(60);
  });
});

/** The state a household's events fold to, as the projector stores it (projected into a scratch agency). */
let scratches = 0;
async function state(agencyId: string, householdId: string, ...events: HouseholdEvent[]): Promise<HouseholdState> {
  const scratch = `scratch-${scratches++}`;
  for (const event of events) await projectHouseholdEvent(inAgency(scratch, event));
  const stored = (await getHouseholdState(scratch, householdId))!;
  return { ...stored, agencyId, householdId };
}
