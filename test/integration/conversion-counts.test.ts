// Campaign conversion (docs/metrics.md) from conversion counts: an agency's counts per day, kept from the projections
// table's stream as its households move on, so that a window's campaign conversion reads the window's
// days, not its households. Against DynamoDB Local: the household projector writes, and the stream is
// read as the local runtime reads it (local/outbox-relay.ts, the same code as the Lambda in AWS).
import fc from 'fast-check';
import { marshall } from '@aws-sdk/util-dynamodb';
import { conversionCountChanges, type ConversionCount } from '../../shared/domain/campaign-conversion';
import type { HouseholdState } from '../../shared/domain/household';
import { applicationOutcomeChanges, type ApplicationOutcome } from '../../shared/domain/resignation-forecast';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { handler } from '../../functions/projectors/conversion-counts';
import { lambdaContext } from '../../local/lambda-runtime';
import {
  applyStateChange,
  applicationOutcomesBetween,
  applyStateChanges,
  conversionCountsBetween,
  rebuildConversionCounts,
} from '../../shared/store/conversion-counts';
import { householdKey, readHouseholdState, STATE_SK } from '../../shared/store/households';
import { ReadTally } from '../../shared/store/query-pages';
import { approval, assessment, closure, enquiry, initialVisit, referralOn } from '../support/funnel-events';
import { runStreamReader, useFreshTables } from '../support/tables';

beforeAll(useFreshTables);
const counts = runStreamReader();

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

/** Enquiries, visits, assessments and approvals, a closure a later stage reopens, a referral on, a
 *  withdrawal after applying that a second application reopens before the household withdraws again. */
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
  enquiry('e', '2019-02-01', { channel: 'website' }),
  assessment('e', '2019-03-01'),
  closure('e', '2019-05-01', 'AW1'),
  assessment('e', '2019-09-01'),
  closure('e', '2019-12-01', 'AW2'),
];

/** Application outcomes as comparable text, zeros left out. */
const outcomesAsText = (list: readonly ApplicationOutcome[]) => {
  const sums = new Map<string, number>();
  for (const o of list) {
    const key = `${o.day} ${o.outcome} until ${o.until ?? '-'} ${o.referredTo ?? '-'}`;
    sums.set(key, (sums.get(key) ?? 0) + o.n);
  }
  return [...sums]
    .filter(([, n]) => n !== 0)
    .map(([key, n]) => `${key} = ${n}`)
    .sort();
};

describe("an agency's conversion counts", () => {
  it('equal, in whatever order the events arrive, what the households as they now stand add', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(funnel, { minLength: funnel.length }), async (order) => {
        const agencyId = `counts-order-${run++}`;
        for (const event of order) await projectHouseholdEvent(inAgency(agencyId, event));
        await counts.caughtUp();
        const states = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(async (id) => (await readHouseholdState(agencyId, id)).state));
        const expected = states.flatMap((s) => conversionCountChanges(undefined, s));
        expect(asText(await conversionCountsBetween(agencyId, EVERY_DAY))).toEqual(asText(expected));
        expect(expected.length).toBeGreaterThan(10);
        // And per month, the outcomes of the applications (the forecast's q): a's approval, e's two withdrawals.
        const outcomes = await applicationOutcomesBetween(agencyId, EVERY_DAY[0]!.from, EVERY_DAY[0]!.to);
        expect(outcomesAsText(outcomes)).toEqual(outcomesAsText(states.flatMap((s) => applicationOutcomeChanges(undefined, s))));
        expect(outcomesAsText(outcomes)).toEqual([
          '2019-05-01 closure until 2019-09-01 - = 1',
          '2019-12-01 closure until - - = 1',
          '2020-01-20 approval until - - = 1',
        ]);
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
    const households = ['a', 'b', 'c', 'd', 'e'];
    const asStored = async () => {
      const states = await Promise.all(households.map(async (id) => (await readHouseholdState(agencyId, id)).state));
      return {
        days: asText(states.flatMap((h) => conversionCountChanges(undefined, h))),
        months: outcomesAsText(states.flatMap((h) => applicationOutcomeChanges(undefined, h))),
      };
    };
    const stored = async () => ({
      days: asText(await conversionCountsBetween(agencyId, EVERY_DAY)),
      months: outcomesAsText(await applicationOutcomesBetween(agencyId, EVERY_DAY[0]!.from, EVERY_DAY[0]!.to)),
    });
    // What a dead-lettered batch leaves: a household's counts missing (a's days and its approval's
    // month), and counts of one never stored (a day, and a month of outcomes).
    const { state: a, version } = await readHouseholdState(agencyId, 'a');
    await applyStateChange({ agencyId, householdId: 'a', version: 1_000, before: a });
    const ghost = await state(agencyId, 'ghost', enquiry('ghost', '2015-03-01'), closure('ghost', '2015-04-01', 'AW1'));
    await applyStateChange({ agencyId, householdId: 'ghost', version: 1, after: ghost });
    const lost = await stored();
    expect(lost.days).not.toEqual((await asStored()).days);
    expect(lost.months).not.toEqual((await asStored()).months);

    const report = await rebuildConversionCounts(agencyId);
    expect(await stored()).toEqual(await asStored());
    expect(report).toMatchObject({ households: 5, itemsRemoved: 2 }); // the ghost's day and month
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
  const stored = (await readHouseholdState(scratch, householdId)).state!;
  return { ...stored, agencyId, householdId };
}
