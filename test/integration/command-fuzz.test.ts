// Every command answers malformed input (mutations of its fixture drawn from its zod schema) with a 400
// naming every bad field, never a 500, and publishes and stores nothing when it refuses.
import fc from 'fast-check';
import { Identifier } from '../../shared/events/catalogue';
import { requestBodies } from '../../shared/api/route-schemas';
import { MAX_BODY_BYTES } from '../../shared/api/http';
import { apiRoutes as routeTable, type ApiRoute, type ApiRouteName } from '../../shared/wiring/http-routes';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient, dynamoDbDocumentClient } from '../../shared/aws-clients';
import { contactClockPartition } from '../../shared/store/retention-clocks';
import { SEARCH_KEY_PREFIX } from '../../shared/store/contacts';
import { contactsTable, idempotencyTable, tableName } from '../../shared/store/tables';
import { signLocalToken } from '../../local/tokens';
import { startInProcessStack, pathParameters, type Answer, type InProcessStack, type RouteRequest } from '../support/in-process-stack';
import { malformedObject, notAJsonObject, preview } from '../support/malformed';
import { actingAgency, routeFixtures } from '../support/route-fixtures';
import { recordWrites, type WriteRecorder } from '../support/dynamodb-writes';
import { referenceCountersKey } from '../../shared/store/references';

const apiRoutes: ReadonlyArray<ApiRoute & { name: ApiRouteName }> = routeTable;
const agencyId = 'cambs';
/** `FUZZ_RUNS=2000 npx jest test/integration/command-fuzz` for a longer hunt. */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS) || 200;
// The public's enquiry is fuzzed from many source addresses in front-door.test.ts: from one, its limits answer 429.
const commandRoutes = apiRoutes.filter((route) => requestBodies[route.name] !== undefined && route.kind === 'command');

interface Input {
  request: RouteRequest;
  /** The fields the 400 must name; empty when the input may be valid. */
  broken: Set<string>;
  describe: string;
}

/** Malformed requests for a route, from its valid request. */
function inputs(route: ApiRoute & { name: ApiRouteName }, valid: RouteRequest): fc.Arbitrary<Input> {
  const schema = requestBodies[route.name]!;
  const body = (valid.body ?? {}) as Record<string, unknown>;
  const params = pathParameters(route);
  const labelled = (input: Input): Input => Object.assign(input, { [fc.toStringMethod]: () => `${route.name}: ${input.describe}` });
  const fields = malformedObject(body, schema, { maxString: 100_000, exclude: params }).map(({ value, mutations, broken }) =>
    labelled({
      request: { ...valid, body: value },
      broken,
      describe: mutations.map((m) => m.describe).join(', '),
    }),
  );
  const notObject = notAJsonObject.map(({ describe, rawBody }) =>
    labelled({
      request: { ...valid, body: undefined, rawBody },
      broken: new Set(['(body)']),
      describe,
    }),
  );
  // Schema-valid, but commands record what happened: a date in the future is refused.
  const future = fc
    .date({ min: new Date(Date.now() + 60 * 60_000), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((date) =>
      labelled({
        request: { ...valid, body: { ...body, occurredAt: date.toISOString() } },
        broken: new Set(['occurredAt']),
        describe: `occurredAt ${date.toISOString()} (future)`,
      }),
    );
  const badId =
    params.length === 0
      ? []
      : [
          fc
            .tuple(
              fc.constantFrom(...params),
              fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', 'a#b', 'a b', 'x'.repeat(129), 'é', '-leading', 'a/b', '%00')),
            )
            .map(([name, value]) =>
              labelled({
                request: { ...valid, path: { ...valid.path, [name]: value } },
                broken: new Set(Identifier.safeParse(value).success ? [] : [name]),
                describe: `{${name}} = ${preview(value)}`,
              }),
            ),
        ];
  return fc.oneof(
    { weight: 6, arbitrary: fields },
    { weight: 1, arbitrary: notObject },
    { weight: 1, arbitrary: future },
    ...badId.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

let stack: InProcessStack;
let writes: WriteRecorder;
/** The contact records as the last accepted command left them (refusals write none). */
let contactsBefore = 0;
const outcomes = new Map<number, number>();

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR'; // thousands of refusals; a 500 still logs
  stack = await startInProcessStack();
  writes = recordWrites(dynamoDbClient());
});
afterAll(async () => {
  await stack?.stop();
  // The mix of answers: most refused at the edge, some reaching the state checks (404/409) or accepted.
  console.log(
    `command fuzz: ${[...outcomes]
      .sort()
      .map(([status, n]) => `${n}×${status}`)
      .join(', ')}`,
  );
});

/** What every answer to a malformed (or possibly valid) command must satisfy. */
function expectSafe(input: Input, answer: Answer): void {
  outcomes.set(answer.status, (outcomes.get(answer.status) ?? 0) + 1);
  if (input.broken.size > 0) {
    // Status and body exactly; the answer's headers (content type) are not what this checks.
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: expect.any(String), fields: expect.any(Array) } },
    });
    expectNamed(
      answer.body.error.fields.map((f: { field: string }) => f.field),
      input.broken,
    );
  } else {
    // Valid as far as the schema goes: accepted, or refused with the reason (400 cross-field, 404, 409).
    expect([202, 400, 404, 409]).toContain(answer.status);
    if (answer.status !== 202)
      expect(answer.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  }
}

/** Each broken field is named, and only those (a nested path such as `contact.name` names `contact`). */
function expectNamed(reported: string[], broken: Set<string>): void {
  const under = (field: string, parent: string) => field === parent || field.startsWith(`${parent}.`);
  expect({
    unnamed: [...broken].filter((b) => !reported.some((r) => under(r, b))),
    notBroken: reported.filter((r) => ![...broken].some((b) => under(r, b))),
  }).toEqual({ unnamed: [], notBroken: [] });
}

/** The contact records, without the search entries each one brings. */
const contactRecords = async () => (await stack.itemCount(contactsTable)) - (await searchEntriesAndClocks());
/** The items of the contacts table that are not a household's record: its search entries, and the retention clocks. */
async function searchEntriesAndClocks(): Promise<number> {
  const page = await dynamoDbDocumentClient().send(
    new ScanCommand({
      TableName: tableName(contactsTable),
      Select: 'COUNT',
      FilterExpression: 'begins_with(householdId, :search) OR begins_with(agencyId, :clock)',
      ExpressionAttributeValues: { ':search': SEARCH_KEY_PREFIX, ':clock': contactClockPartition(0).slice(0, -1) },
    }),
  );
  return page.Count ?? 0;
}

/** A body over the limit is refused as a whole, before any field is read. */
function tooLarge(input: Input): Input {
  const { body, rawBody } = input.request;
  const text = rawBody ?? (body === undefined ? '' : JSON.stringify(body));
  return Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES ? { ...input, broken: new Set(['(body)']) } : input;
}

/**
 * Sends one input and checks the answer, and that a refusal left no trace: DynamoDB wrote nothing for
 * it but bookkeeping (so nothing reached the outbox, the bus or the contacts).
 * An accepted command is followed through the outbox to the bus: exactly its event is published.
 */
async function property(route: ApiRoute, sent: Input, send: (request: RouteRequest) => Promise<Answer>): Promise<void> {
  const input = tooLarge(sent);
  const published = stack.settled.length;
  writes.take();
  const answer = await send(input.request);
  expectSafe(input, answer);
  // Not a trace: the idempotency layer's bookkeeping, and a reference drawn for an enquiry refused
  // afterwards (a household id already taken: a gap in the numbering, nothing recorded).
  const stored = writes.take().filter(({ table, pk }) => table !== tableName(idempotencyTable) && pk !== referenceCountersKey(agencyId));
  if (answer.status !== 202) {
    expect(stored).toEqual([]);
    return;
  }
  await stack.idle();
  expect(stack.settled.length - published).toBe(1);
  if (route.access.contacts !== 'readWrite') return;
  // An enquiry stores one contact record; a risk flag's note is added to the household's (made if none).
  const contacts = await contactRecords();
  if (route.name === 'ReceiveEnquiry') expect(contacts).toBe(contactsBefore + 1);
  else expect(contacts).toBeLessThanOrEqual(contactsBefore + 1);
  expect(contacts).toBeGreaterThanOrEqual(contactsBefore);
  contactsBefore = contacts;
}

test('every command that publishes has a request schema to fuzz', () => {
  expect(apiRoutes.filter((r) => r.kind === 'command' && !requestBodies[r.name]).map((r) => r.name)).toEqual([]);
});

describe.each(commandRoutes.map((route) => [route.name, route] as const))('%s', (_name, route) => {
  test(`${RUNS_PER_ROUTE} malformed requests: 400 naming each bad field, never 500, nothing published or stored`, async () => {
    // A hub's route is called as the region's hub (route-fixtures.ts).
    const actingAs = actingAgency(routeFixtures[route.name], agencyId);
    const claims = { 'cognito:groups': `[${route.allowedRoles.join(' ')}]`, 'custom:agencyId': actingAs, sub: 'fuzz' };
    const context = { agencyId: actingAs, record: stack.record };
    // The starting point is valid: the unmutated request is accepted.
    const first = await stack.invoke(route, await routeFixtures[route.name].prepare(context), claims);
    expect([route.name, first.status, first.body?.error]).toEqual([route.name, 202, undefined]);
    await stack.idle();

    const valid = await routeFixtures[route.name].prepare(context);
    await stack.idle();
    contactsBefore = await contactRecords();
    await fc.assert(
      fc.asyncProperty(inputs(route, valid), (input) => property(route, input, (request) => stack.invoke(route, request, claims))),
      { numRuns: RUNS_PER_ROUTE },
    );
  });
});

test('over HTTP too (the local server and its JWT authorizer in front): malformed enquiries', async () => {
  const route = apiRoutes.find((r) => r.name === 'ReceiveEnquiry')!;
  const token = await signLocalToken({ groups: ['recruitment'], agencyId, secret: stack.jwtSecret });
  const valid = await routeFixtures.ReceiveEnquiry.prepare({ agencyId, record: stack.record });
  await stack.idle();
  contactsBefore = await contactRecords();
  await fc.assert(
    fc.asyncProperty(inputs(route, valid), (input) => property(route, input, (request) => stack.call(route, request, token))),
    { numRuns: 100 },
  );
});
