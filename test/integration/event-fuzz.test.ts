// Other systems put events on the bus directly, so every projector meets
// malformed details. Each must be dead-lettered with a reason naming the bad field(s), and nothing
// projected. Every detail-type of the catalogue, mutations derived from its zod schema, the real
// projectors behind the local bus (same rules as the stack), DynamoDB Local.
import fc from 'fast-check';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, detailSchemas, detailTypes, type DetailType, type EventDetail } from '../../shared/events/catalogue';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { projectionsTable } from '../../shared/store/tables';
import { anEvent } from '../support/funnel-events';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { fieldsOf, malformedObject, notAJsonObject } from '../support/malformed';
import { recordWrites, type WriteRecorder } from '../support/dynamodb-writes';
import { dynamoDbClient } from '../../shared/aws-clients';

/** `FUZZ_RUNS=2000 npx jest test/integration/event-fuzz` for a longer hunt. */
// 75 a detail-type keeps `npm test` near its budget (each run waits for the outbox and the bus to be idle).
const RUNS_PER_DETAIL_TYPE = Number(process.env.FUZZ_RUNS) || 75;
/** Large, yet within EventBridge's 256 KB per PutEvents. */
const MAX_STRING = 20_000;

/** One valid detail of each type (besides eventId, agencyId, occurredAt): the starting points. */
const validFields: { [T in DetailType]: Omit<EventDetail<T>, 'eventId' | 'agencyId' | 'occurredAt'> } = {
  CampaignLaunched: {
    campaignId: 'spring-2019',
    name: 'Spring 2019',
    channels: ['facebook', 'radio'],
    startsOn: '2019-03-01',
    endsOn: '2019-03-31',
    budgetPence: 500_000,
    agencyIds: ['cambs'],
  },
  CampaignSpendRecorded: { campaignId: 'spring-2019', amountPence: 125_000, item: 'radio advert' },
  EnquiryReceived: {
    householdId: 'h-1',
    channel: 'referral',
    campaignId: 'spring-2019',
    referredByHouseholdId: 'h-0',
    interests: ['teenagers'],
    postcodeDistrict: 'CB4',
  },
  InitialVisitCompleted: { householdId: 'h-1' },
  AssessmentStarted: { householdId: 'h-1', prospectiveBeds: 2 },
  HouseholdApproved: { householdId: 'h-1', category: 'mainstream', approvedBeds: 2 },
  EnquiryClosed: { householdId: 'h-1', reason: 'AW3' },
  EnquiryReferredOn: { householdId: 'h-1', toAgencyId: 'peterborough' },
  ApprovalChanged: { householdId: 'h-1', approvedBeds: 3, category: 'connected_person_reg24' },
  PlacementStarted: { householdId: 'h-1', placementId: 'p-1', placementType: 'time_limited' },
  PlacementEnded: { householdId: 'h-1', placementId: 'p-1' },
  HoldStarted: { householdId: 'h-1', holdId: 'hold-1', reason: 'matching', beds: 1 },
  HoldEnded: { householdId: 'h-1', holdId: 'hold-1' },
  ResignationRiskFlagged: { householdId: 'h-1', reason: 'moved_area', likelihood: 0.5 },
  ResignationRiskCleared: { householdId: 'h-1' },
  HouseholdResigned: { householdId: 'h-1', reason: 'moved_area', initiatedBy: 'carer' },
  ChildrenInCareRecorded: { childrenInCare: 769, fosteredInHouse: 272, fosteredAgency: 180 },
  ReferralRewardDue: { referrerHouseholdId: 'h-0', referredHouseholdId: 'h-1', amountPence: 30_000 },
  ContactAttempted: { householdId: 'h-1', method: 'phone', outcome: 'reached' },
  AssessmentMilestoneRecorded: { householdId: 'h-1', milestone: 'stage_one_completed' },
  StepCorrected: { householdId: 'h-1', correctedEventId: 'evt-1' },
  PossibleDuplicateCleared: { householdId: 'h-1' },
  AgencySettingsChanged: {
    attritionRate: 0.1,
    targetInHouseShare: 0.6,
    firstResponseWorkingDays: 2,
    initialVisitWorkingDays: 10,
    applicationToApprovalDays: 240,
    changedBy: 'user-1',
  },
};
const validDetail = (detailType: DetailType) =>
  anEvent(detailType, '2019-06-01', { ...validFields[detailType], agencyId: 'cambs' } as never).detail as unknown as Record<
    string,
    unknown
  >;

let stack: InProcessStack;
let writes: WriteRecorder;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  // One retry, without waiting: the reason is the same on every attempt.
  stack = await startInProcessStack({ retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 } });
  writes = recordWrites(dynamoDbClient());
});
afterAll(() => stack?.stop());

const put = (detailType: string, detail: string) =>
  stack.bus.putEvents({
    Entries: [{ EventBusName: EVENT_BUS_NAME, Source: EVENT_SOURCE, DetailType: detailType, Detail: detail }],
  });

test('every detail-type of the catalogue has a valid starting detail', () => {
  for (const detailType of detailTypes)
    expect([detailType, detailSchemas[detailType].safeParse(validDetail(detailType)).success]).toEqual([detailType, true]);
});

describe.each(detailTypes.map((t) => [t] as const))('%s', (detailType) => {
  test(`${RUNS_PER_DETAIL_TYPE} malformed details: each dead-lettered with a reason naming the bad fields, nothing projected`, async () => {
    const schema = detailSchemas[detailType];
    const knownFields = fieldsOf(schema).map((f) => f.path.join('.'));
    const projected = await stack.itemCount(projectionsTable);
    const malformed = malformedObject(validDetail(detailType), schema, { maxString: MAX_STRING })
      .filter(({ broken }) => broken.size > 0)
      .map((input) => Object.assign(input, { [fc.toStringMethod]: () => input.mutations.map((m) => m.describe).join(', ') }));

    await fc.assert(
      fc.asyncProperty(malformed, async ({ value, broken }) => {
        const delivered = stack.bus.counts().delivered;
        const letters = stack.deadLetters.length;
        writes.take();
        const result = put(detailType, JSON.stringify(value));
        expect(result.FailedEntryCount).toBe(0);
        // Refused by every projector it reached, so it wrote nothing: no outbox entry for the relay to read.
        await stack.bus.whenIdle();
        expect(writes.take()).toEqual([]);

        expect(stack.bus.counts().delivered).toBe(delivered);
        const dead = stack.deadLetters.slice(letters);
        expect(dead.map((letter) => letter.event.id)).toEqual([(result.Entries[0] as { EventId: string }).EventId]);
        const { reason } = dead[0]!;
        const names = (field: string) => reason.includes(`detail.${field}:`) || reason.includes(`detail.${field}.`);
        // Every broken field is named; no field that was left intact is.
        expect({
          unnamed: [...broken].filter((field) => !names(field)),
          namedIntact: knownFields.filter(
            (field) => names(field) && ![...broken].some((b) => field === b || field.startsWith(`${b}.`) || b.startsWith(`${field}.`)),
          ),
        }).toEqual({ unnamed: [], namedIntact: [] });
      }),
      { numRuns: RUNS_PER_DETAIL_TYPE },
    );

    expect(await stack.itemCount(projectionsTable)).toBe(projected);
  });
});

test('a detail that is not a JSON object is refused at PutEvents, and nothing is delivered', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...detailTypes), notAJsonObject, async (detailType, { rawBody }) => {
      const { delivered, deadLettered } = stack.bus.counts();
      const result = put(detailType, rawBody);
      await stack.bus.whenIdle();
      expect(result).toEqual({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: expect.any(String) }] });
      expect(stack.bus.counts()).toMatchObject({ delivered, deadLettered });
    }),
    { numRuns: 200 },
  );
});

test('over HTTP too: malformed details sent with the unmodified AWS SDK are dead-lettered with their reason', async () => {
  const client = new EventBridgeClient({
    endpoint: stack.bus.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const projected = await stack.itemCount(projectionsTable);
  try {
    const malformed = fc.constantFrom(...detailTypes).chain((detailType) =>
      malformedObject(validDetail(detailType), detailSchemas[detailType], { maxString: MAX_STRING })
        .filter(({ broken }) => broken.size > 0)
        .map(({ value, broken }) => ({ detailType, value, broken })),
    );
    await fc.assert(
      fc.asyncProperty(malformed, async ({ detailType, value, broken }) => {
        const letters = stack.deadLetters.length;
        const result = await client.send(
          new PutEventsCommand({
            Entries: [{ EventBusName: EVENT_BUS_NAME, Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(value) }],
          }),
        );
        expect(result.FailedEntryCount).toBe(0);
        await stack.bus.whenIdle();
        expect(writes.take()).toEqual([]);
        const dead = stack.deadLetters.slice(letters);
        expect(dead.map((letter) => letter.event.id)).toEqual([result.Entries?.[0]?.EventId]);
        for (const field of broken)
          expect(dead[0]!.reason).toMatch(new RegExp(`detail\\.${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[:.]`));
      }),
      { numRuns: 50 },
    );
  } finally {
    client.destroy();
  }
  expect(await stack.itemCount(projectionsTable)).toBe(projected);
});
