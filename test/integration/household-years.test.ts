// Issue 14 on DynamoDB Local: a carer's ended placements and holds leave its state item for year
// items as the years turn, whether its events come in order (folded onto the state item) or late
// (refolded); its whole record is still exactly the fold of its events, a question about a past
// date reads the one year item of that date, and a command checks the whole record.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { bedsOnHold, capacity } from '../../shared/domain/capacity';
import { foldHousehold } from '../../shared/domain/household';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { bedsOnHoldFor, capacityFor } from '../../shared/queries/capacity';
import { recordHouseholdEvent } from '../../shared/api/commands';
import { HttpError } from '../../shared/api/http';
import { householdKey, readHouseholdRecord } from '../../shared/store/households';
import { ReadTally } from '../../shared/store/query-pages';
import { projectionsTable, tableName } from '../../shared/store/tables';
import { longServingCarer } from '../../bench/long-carer';
import { placementEnd, placementStart } from '../support/funnel-events';
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
  for (const event of events) await projectHouseholdEvent(event);
}, 120_000);

test('events in order: the state item keeps this year, each earlier year has an item, the whole record is the fold', async () => {
  const items = await partitionItems();
  expect(items.map((item) => item.sk)).toEqual(['STATE', ...[2019, 2020, 2021, 2022, 2023].map((y) => `STATE#YEAR#${y}`)]);
  // Each is about a year of weekly stays, whatever the carer's years.
  for (const item of items) expect(JSON.stringify(item).length).toBeLessThan(24 * 1024);
  expect(plain((await readHouseholdRecord(agencyId, 'carer')).whole)).toStrictEqual(plain(foldHousehold(agencyId, 'carer', events)));
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
  const record = await readHouseholdRecord(agencyId, 'carer');
  expect(record.yearSpans.get(2020)!.placements.some((p) => p.placementId === 'late-stay')).toBe(true);
  expect(plain(record.whole)).toStrictEqual(plain(foldHousehold(agencyId, 'carer', [...events, ...late])));
  expect(record.years).toEqual([2019, 2020, 2021, 2022, 2023]);
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
  const record = await readHouseholdRecord(agencyId, 'carer');
  expect(record.state!.placements.some((p) => p.placementId === 'new-stay')).toBe(true);
  // 2025's first event moved 2024's ended stays (but the last) into 2024's item.
  expect(record.years).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
  expect(record.state!.placements.filter((p) => p.endedAt !== undefined).map((p) => p.placementId)).toEqual(['stay-2024-12-27']);
});
