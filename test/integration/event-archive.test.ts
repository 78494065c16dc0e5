// An event from the bus is stored with the state item that folds it (one conditional PutItem); its
// own item, the partition's record and the export's log entry, is written from the table's stream
// (shared/store/event-archive.ts). A refold needs every event the state folded, so a late event that
// arrives while the stream's reader is behind waits for it, and then folds them all, each once.
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { foldHousehold } from '../../shared/domain/household';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { FOLDED_EVENT_ATTRIBUTE, readHouseholdPartition } from '../../shared/store/households';
import { eventLogPage } from '../../shared/store/event-log';
import { projectionsTable, tableName } from '../../shared/store/tables';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { approval, assessment, enquiry, initialVisit } from '../support/funnel-events';
import { runStreamReader, useFreshTables } from '../support/tables';

const AGENCY = 'archive-agency';
const inAgency = (events: ReturnType<typeof enquiry | typeof initialVisit | typeof assessment | typeof approval>[]) =>
  events.map((e) => ({ ...e, detail: { ...e.detail, agencyId: AGENCY } })) as HouseholdEvent[];

/** The stream's reader is held back from writing the events' items while `held` is set. */
let release: (() => void) | undefined;
let held: Promise<void> | undefined;
const holdArchive = () => {
  held = new Promise((done) => (release = done));
};
const releaseArchive = () => {
  release?.();
  held = undefined;
};

beforeAll(useFreshTables);
const relay = runStreamReader({ beforeArchive: () => held });
// Each test releases what it holds; this is in case one failed while holding.
afterAll(releaseArchive);

const stateItem = async (householdId: string) =>
  (
    await dynamoDbDocumentClient().send(
      new GetCommand({
        TableName: tableName(projectionsTable),
        Key: { pk: `HOUSEHOLD#${AGENCY}#${householdId}`, sk: 'STATE' },
        ConsistentRead: true,
      }),
    )
  ).Item!;

describe('the event archive', () => {
  it('stores an event from the bus on the state item that folds it, and its own item from the stream', async () => {
    const [received, visited] = inAgency([enquiry('h-a', '2019-07-01'), initialVisit('h-a', '2019-07-10')]);
    holdArchive();
    await projectHouseholdEvent(received!);
    await projectHouseholdEvent(visited!);
    expect((await stateItem('h-a'))[FOLDED_EVENT_ATTRIBUTE]).toStrictEqual(visited);
    // Before the stream's reader has written the items, the partition has the last event from the state item...
    const before = await readHouseholdPartition(AGENCY, 'h-a');
    expect(before.events.map((e) => e.detail.eventId)).toStrictEqual([visited!.detail.eventId]);
    expect(before.archiveBehind).toBe(true);

    releaseArchive();
    await relay.caughtUp();
    // ...after, each event once, and in the agency's log (the export).
    const after = await readHouseholdPartition(AGENCY, 'h-a');
    expect(after.events.map((e) => e.detail.eventId).sort()).toStrictEqual([received!.detail.eventId, visited!.detail.eventId].sort());
    expect(after.archiveBehind).toBe(false);
    const log = await eventLogPage(AGENCY, '2019-01-01T00:00:00.000Z', '2019-12-31T23:59:59.999Z', { limit: 10 });
    expect(log.events).toStrictEqual([received, visited]);
  });

  it('lets a late event wait for the items of the events the state folded, then folds them all, each once', async () => {
    const [received, assessed, approved, visited] = inAgency([
      enquiry('h-b', '2019-07-01'),
      assessment('h-b', '2019-08-12', 2),
      approval('h-b', '2019-11-01', 2),
      initialVisit('h-b', '2019-07-20'), // late: before the assessment
    ]);
    holdArchive();
    for (const event of [received!, assessed!, approved!]) await projectHouseholdEvent(event);

    let settled = false;
    const late = projectHouseholdEvent(visited!).finally(() => (settled = true));
    // It cannot refold without the enquiry's and the assessment's items, which are held back.
    await new Promise((done) => setTimeout(done, 500));
    expect(settled).toBe(false);

    releaseArchive();
    expect((await late).outcome).toBe('written');
    const all = [received!, assessed!, approved!, visited!];
    const stored = await readHouseholdPartition(AGENCY, 'h-b');
    expect(stored.state).toStrictEqual(JSON.parse(JSON.stringify(foldHousehold(AGENCY, 'h-b', all))));
    expect(stored.state?.eventCount).toBe(4);
    // A redelivery of an event the state folded long ago is a duplicate: it changes nothing.
    expect((await projectHouseholdEvent(received!)).outcome).toBe('duplicate');
    expect((await readHouseholdPartition(AGENCY, 'h-b')).version).toBe(stored.version);
  });
});

describe('after DynamoDB Local lost writes it had acknowledged', () => {
  it("reads the stream again and writes the events' items it had written from it", async () => {
    const [received, visited] = inAgency([enquiry('h-c', '2019-07-01'), initialVisit('h-c', '2019-07-10')]);
    const startedAt = Date.now();
    for (const event of [received!, visited!]) await projectHouseholdEvent(event);
    await relay.caughtUp();
    // What a crash can take: the enquiry's item, written by the relay just before it.
    const key = { pk: `HOUSEHOLD#${AGENCY}#h-c`, sk: `EVENT#${received!.detail.eventId}` };
    await dynamoDbDocumentClient().send(new DeleteCommand({ TableName: tableName(projectionsTable), Key: key }));
    expect((await readHouseholdPartition(AGENCY, 'h-c')).archiveBehind).toBe(true);

    relay.rewindTo(startedAt);
    await relay.caughtUp();
    const partition = await readHouseholdPartition(AGENCY, 'h-c');
    expect(partition.archiveBehind).toBe(false);
    expect(partition.events.map((e) => e.detail.eventId).sort()).toStrictEqual([received!.detail.eventId, visited!.detail.eventId].sort());
  });
});
