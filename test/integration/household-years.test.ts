// Issue 14 on DynamoDB Local: a carer's ended placements and holds leave its state item for year
// items as the years turn, whether its events come in order (folded onto the state item) or late
// (refolded), and so do the approval terms superseded and the risk flags cleared; its whole record is still exactly the fold of its events, a question about a past
// date reads the one year item of that date, and a command checks the whole record.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { bedsOnHold, capacity } from '../../shared/domain/capacity';
import { compareEvents, foldHousehold } from '../../shared/domain/household';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { bedsOnHoldFor, capacityFor } from '../../shared/queries/capacity';
import { recordHouseholdEvent } from '../../shared/api/commands';
import { HttpError } from '../../shared/api/http';
import { householdKey, readHouseholdHistory } from '../../shared/store/households';
import { ReadTally } from '../../shared/store/query-pages';
import { projectionsTable, tableName } from '../../shared/store/tables';
import { longServingCarer } from '../../bench/long-carer';
import {
  approval,
  approvalChange,
  assessment,
  enquiry,
  placementEnd,
  placementStart,
  riskCleared,
  riskFlag,
} from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

const agencyId = 'years';
const inAgency = (event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId, householdId: 'carer' } }) as HouseholdEvent;
const events = longServingCarer(agencyId, 'carer', 2019, 2024) as HouseholdEvent[];
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function partitionItems() {
  const page = await dynamoDbDocumentClient().send(
    new QueryCommand({
      TableName: tableName(projectionsTable),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :state)',
      ExpressionAttributeValues: { ':pk': householdKey(agencyId, 'carer'), ':state': 'STATE' },
    }),
  );
  return page.Items ?? [];
}

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  await useFreshTables();
});
beforeAll(async () => {
  for (const event of events) await projectHouseholdEvent(event);
}, 120_000);

test('events in order: the state item keeps this year, each earlier year has an item, the whole record is the fold', async () => {
  const items = await partitionItems();
  expect(items.map((item) => item.sk)).toEqual(['STATE', ...[2019, 2020, 2021, 2022, 2023].map((y) => `STATE#YEAR#${y}`)]);
  // Each is about a year of weekly stays, whatever the carer's years.
  for (const item of items) expect(JSON.stringify(item).length).toBeLessThan(24 * 1024);
  expect(plain((await readHouseholdHistory(agencyId, 'carer')).whole)).toStrictEqual(plain(foldHousehold(agencyId, 'carer', events)));
});

test('capacity and beds on hold at a past date read the carer, its state item and that one year item', async () => {
  const folded = foldHousehold(agencyId, 'carer', events);
  for (const [on, itemsRead] of [
    ['2021-08-06', 3], // during 2021's break: the index entry, the state item, 2021's item
    ['2021-10-01', 3],
    ['2024-12-31', 2], // this year: the state item keeps it
  ] as const) {
    const tally = new ReadTally();
    expect(await capacityFor(agencyId, on, tally)).toEqual(capacity(on, [folded]));
    expect(tally.itemsRead).toBe(itemsRead);
    expect(await bedsOnHoldFor(agencyId, on)).toEqual(bedsOnHold(on, [folded]));
  }
});

test('a late event refolds: only the year items it changes are rewritten, the record still the fold of every event', async () => {
  // A mark on every year item: a year item written again loses it.
  for (const year of [2019, 2020, 2021, 2022, 2023])
    await dynamoDbDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(projectionsTable),
        Key: { pk: householdKey(agencyId, 'carer'), sk: `STATE#YEAR#${year}` },
        UpdateExpression: 'SET untouched = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  const late = [placementStart('carer', 'late-stay', '2020-03-03'), placementEnd('carer', 'late-stay', '2020-03-05')].map(inAgency);
  for (const event of late) await projectHouseholdEvent(event);
  const marked = (await partitionItems()).filter((item) => item.untouched === true).map((item) => item.sk);
  expect(marked).toEqual(['STATE#YEAR#2019', 'STATE#YEAR#2021', 'STATE#YEAR#2022', 'STATE#YEAR#2023']);
  const record = await readHouseholdHistory(agencyId, 'carer');
  expect(record.yearSpans.get(2020)!.placements.some((p) => p.placementId === 'late-stay')).toBe(true);
  expect(plain(record.whole)).toStrictEqual(plain(foldHousehold(agencyId, 'carer', [...events, ...late])));
  expect([...record.yearSpans.keys()]).toEqual([2019, 2020, 2021, 2022, 2023]);
  expect(record.state!.placements.some((p) => p.placementId === 'late-stay')).toBe(false);
  expect(await capacityFor(agencyId, '2020-03-04')).toMatchObject({ households: 1, occupiedBeds: 1 });
});

test('a command checks the whole record where the state item cannot decide: a placement id kept in a year item is already recorded (409)', async () => {
  const again = inAgency(placementStart('carer', 'stay-2020-03-06', '2025-01-10'));
  await expect(recordHouseholdEvent(again)).rejects.toMatchObject({ status: 409, code: 'placement_exists' } satisfies Partial<HttpError>);
  // So is ending a stay kept in a year item.
  const ended = inAgency(placementEnd('carer', 'stay-2020-03-06', '2025-01-10'));
  await expect(recordHouseholdEvent(ended)).rejects.toMatchObject({ status: 409, code: 'placement_ended' } satisfies Partial<HttpError>);
  // A new one with an id drawn here, after everything recorded, is decided on the state item and
  // folded onto it: one read of one item and one write, whatever the carer's years.
  const sent = jest.spyOn(dynamoDbDocumentClient(), 'send');
  try {
    await recordHouseholdEvent(inAgency(placementStart('carer', 'new-stay', '2025-01-10')), { idDrawn: true });
    expect(sent.mock.calls.map(([command]) => command.constructor.name)).toEqual(['GetCommand', 'TransactWriteCommand']);
  } finally {
    sent.mockRestore();
  }
  const record = await readHouseholdHistory(agencyId, 'carer');
  expect(record.state!.placements.some((p) => p.placementId === 'new-stay')).toBe(true);
  // 2025's first event moved 2024's ended stays (but the last) into 2024's item.
  expect([...record.yearSpans.keys()]).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
  expect(record.state!.placements.filter((p) => p.endedAt !== undefined).map((p) => p.placementId)).toEqual(['stay-2024-12-27']);
});

describe('approval terms and risk flags of many years', () => {
  const reviewed = (event: HouseholdEvent) =>
    ({ ...event, detail: { ...event.detail, agencyId, householdId: 'reviewed' } }) as HouseholdEvent;
  // Approved in 2016 for one bed, then each year's review changes the beds and a risk raised in the
  // summer is cleared in the autumn; one stay a year.
  const history = [
    enquiry('reviewed', '2015-06-01', { reference: 'YEARS-2015-0001' }),
    assessment('reviewed', '2015-09-01'),
    approval('reviewed', '2016-03-01', 1),
    ...[2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024].flatMap((year) => [
      approvalChange('reviewed', `${year}-04-01`, 1 + (year % 3), year % 2 === 0 ? 'short_breaks' : undefined),
      riskFlag('reviewed', `${year}-07-01`, 'health', 0.5),
      riskCleared('reviewed', `${year}-10-01`),
      placementStart('reviewed', `stay-${year}`, `${year}-05-01`),
      placementEnd('reviewed', `stay-${year}`, `${year}-05-08`),
    ]),
    riskFlag('reviewed', '2024-11-01', 'retirement', 0.8),
  ].map(reviewed);

  beforeAll(async () => {
    for (const event of [...history].sort(compareEvents)) await projectHouseholdEvent(event);
  }, 60_000);

  test("the state item keeps this year's terms and the flags not yet cleared; the years before are in their items", async () => {
    const record = await readHouseholdHistory(agencyId, 'reviewed');
    // The terms in force on 1 January 2024 (2023's change) and 2024's change; the flag raised in November.
    expect(record.state!.approvalTerms.map((t) => t.at.slice(0, 10))).toEqual(['2023-04-01', '2024-04-01']);
    expect(record.state!.riskFlags.map((f) => f.at.slice(0, 10))).toEqual(['2024-07-01', '2024-11-01']);
    // 2018's item: the terms in force in 2018 (2017's and 2018's), the flag of 2018.
    expect(record.yearSpans.get(2018)!.approvalTerms.map((t) => t.at.slice(0, 10))).toEqual(['2017-04-01', '2018-04-01']);
    expect(record.yearSpans.get(2018)!.riskFlags.map((f) => f.at.slice(0, 10))).toEqual(['2018-07-01']);
    expect(plain(record.whole)).toStrictEqual(plain(foldHousehold(agencyId, 'reviewed', history)));
  });

  test('capacity at a past date reads that year item and answers with the terms in force then', async () => {
    const folded = foldHousehold(agencyId, 'reviewed', history);
    for (const on of ['2016-03-31', '2018-05-03', '2019-12-31', '2024-12-31']) {
      expect(await capacityFor(agencyId, on)).toEqual(capacity(on, [foldHousehold(agencyId, 'carer', events), folded]));
    }
  });

  test('a late change refolds: the years it changes are rewritten with their terms, the record still the fold', async () => {
    const late = reviewed(approvalChange('reviewed', '2019-09-01', 4, 'mainstream'));
    await projectHouseholdEvent(late);
    const record = await readHouseholdHistory(agencyId, 'reviewed');
    expect(record.yearSpans.get(2019)!.approvalTerms.map((t) => `${t.at.slice(0, 10)} ${t.approvedBeds}`)).toEqual([
      '2018-04-01 3',
      '2019-04-01 1',
      '2019-09-01 4',
    ]);
    expect(record.yearSpans.get(2020)!.approvalTerms.map((t) => t.at.slice(0, 10))).toEqual(['2019-09-01', '2020-04-01']);
    expect(plain(record.whole)).toStrictEqual(plain(foldHousehold(agencyId, 'reviewed', [...history, late])));
    // 4 beds from September 2019, beside the other carer's.
    const others = capacity('2019-12-31', [foldHousehold(agencyId, 'carer', events)]).approvedBeds;
    expect(await capacityFor(agencyId, '2019-12-31')).toMatchObject({ approvedBeds: others + 4 });
  });
});
