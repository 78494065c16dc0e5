// Tenancy (docs/rules.md): no agency can touch another's records. Every command × every kind of
// foreign id leaves every item of every other agency as it was; on the bus such an event dead-letters.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { agenciesOfRegion } from '../../shared/wiring/regions';
import { apiRoutes as routeTable, type ApiRoute, type ApiRouteName } from '../../shared/wiring/http-routes';
import { contactsTable, projectionsTable, tableName, type TableDefinition } from '../../shared/store/tables';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';
import { signLocalToken } from '../../local/tokens';
import { startInProcessStack, pathParameters, type InProcessStack, type RouteRequest } from '../support/in-process-stack';
import { actingAgency, routeFixtures } from '../support/route-fixtures';
import { anEvent } from '../support/funnel-events';

const apiRoutes: ReadonlyArray<ApiRoute & { name: ApiRouteName }> = routeTable;
const ownAgency = 'cambs';
/** In the own agency's region (shared/wiring/regions.json): its records are still not the caller's. */
const neighbour = 'norfolk';
/** In no region at all. */
const outsider = 'lancashire';
const ownRegion = 'east-of-england';

const commands = apiRoutes.filter((route) => route.method !== 'GET' && route.allowedRoles.length > 0);

interface Row {
  route: ApiRoute & { name: ApiRouteName };
  kind: string;
  /** The request the own agency sends, made of another agency's ids. */
  request(): Promise<RouteRequest>;
  /** The fields a 400 must name, when the body names an agency outside the region. */
  refused?: string[];
}

const neighbourContext = () => ({ agencyId: neighbour, record: stack.record });

/** The route's own valid request, prepared in the neighbour's agency: its household, campaign, placement or hold. */
const theirRecords = (route: Row['route']): Row => ({
  route,
  kind:
    pathParameters(route).length > 0
      ? `another agency's ${pathParameters(route)
          .map((p) => p.replace(/Id$/, ''))
          .join(' and ')}`
      : "another agency's request, as it would send it",
  request: () => routeFixtures[route.name].prepare(neighbourContext()),
});

/** Body fields that name other agencies or their records, per command. */
const bodyRows: Partial<Record<ApiRouteName, Array<Omit<Row, 'route'>>>> = {
  ReferEnquiryOn: [
    {
      kind: 'an agency outside the region (toAgencyId)',
      request: async () => ({
        ...(await routeFixtures.ReferEnquiryOn.prepare({ agencyId: ownAgency, record: stack.record })),
        body: { toAgencyId: outsider },
      }),
      refused: ['toAgencyId'],
    },
  ],
  HandOverHousehold: [
    {
      kind: 'an agency outside the region (toAgencyId), from the hub',
      request: async () => ({
        ...(await routeFixtures.HandOverHousehold.prepare({
          agencyId: actingAgency(routeFixtures.HandOverHousehold, ownAgency),
          record: stack.record,
        })),
        body: { toAgencyId: outsider },
      }),
      refused: ['toAgencyId'],
    },
  ],
  LaunchCampaign: [
    {
      kind: 'an agency outside the region (agencyIds)',
      request: async () => {
        const { body } = await routeFixtures.LaunchCampaign.prepare({ agencyId: ownAgency, record: stack.record });
        return { body: { ...(body as object), agencyIds: [ownAgency, neighbour, outsider] } };
      },
      refused: ['agencyIds.2'],
    },
    {
      kind: "another agency's campaign id, launched as the caller's own",
      request: async () => {
        const { path } = await routeFixtures.RecordCampaignSpend.prepare(neighbourContext());
        const { body } = await routeFixtures.LaunchCampaign.prepare({ agencyId: ownAgency, record: stack.record });
        return { body: { ...(body as object), campaignId: path!.campaignId } };
      },
    },
  ],
  ReceiveEnquiry: [
    {
      kind: "another agency's campaign and household in the body",
      request: async () => {
        const { path: campaign } = await routeFixtures.RecordCampaignSpend.prepare(neighbourContext());
        const { path: household } = await routeFixtures.GetHousehold.prepare(neighbourContext());
        const { body } = await routeFixtures.ReceiveEnquiry.prepare({ agencyId: ownAgency, record: stack.record });
        return {
          body: {
            ...(body as object),
            channel: 'referral',
            campaignId: campaign!.campaignId,
            referredByHouseholdId: household!.householdId,
          },
        };
      },
      refused: ['campaignId', 'referredByHouseholdId'],
    },
  ],
};

const rows: Row[] = commands.flatMap((route) => [theirRecords(route), ...(bodyRows[route.name] ?? []).map((row) => ({ ...row, route }))]);

let stack: InProcessStack;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startInProcessStack({ retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
  // The neighbour has records before the first row runs: a carer with a hold, a campaign with spend.
  await routeFixtures.EndHold.prepare(neighbourContext());
  await routeFixtures.RecordCampaignSpend.prepare(neighbourContext());
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(localDynamoDbClientConfig(process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!)));
});
afterAll(async () => {
  documents?.destroy();
  await stack?.stop();
});

/** Whose an item is: the agency in its key (`HOUSEHOLD#<agency>#…`, `AGENCY#<agency>#…`), or its agencyId. */
/** Whose an item is: the agency in its key, or a retention clock's (shared over agencies, it names its own). */
const ownerOf = (item: Record<string, unknown>) =>
  ((item.retentionClock as { agencyId?: string } | undefined)?.agencyId ??
    (typeof item.pk === 'string' ? item.pk.split('#')[1] : item.agencyId)) as string | undefined;

/** Every item of every agency but the caller, in both tables that hold an agency's records. */
async function othersItems(): Promise<Record<string, string>> {
  const items: Record<string, string> = {};
  for (const table of [projectionsTable, contactsTable] as TableDefinition[]) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: tableName(table), ExclusiveStartKey, ConsistentRead: true }));
      for (const item of page.Items ?? []) {
        if (ownerOf(item) === ownAgency) continue;
        items[`${table.id} ${String(item.pk ?? `${item.agencyId}/${item.householdId}`)} ${String(item.sk ?? '')}`] = JSON.stringify(item);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return items;
}

/** As the own agency, or on a hub's route as its region's hub (route-fixtures.ts). */
const tokenFor = (route: Row['route']) =>
  signLocalToken({
    groups: [...route.allowedRoles] as never,
    agencyId: actingAgency(routeFixtures[route.name], ownAgency),
    secret: stack.jwtSecret,
  });

test('every command has at least one row, and the rows cover every kind of foreign id', () => {
  expect(commands.filter((route) => !rows.some((row) => row.route === route)).map((r) => r.name)).toEqual([]);
  const kinds = rows.map((row) => row.kind).join(' | ');
  for (const kind of ['household', 'campaign', 'placement', 'hold', 'outside the region']) expect(kinds).toContain(kind);
});

describe.each(rows.map((row) => [`${row.route.name} with ${row.kind}`, row] as const))('%s', (_label, row) => {
  test('changes no item of any other agency', async () => {
    const request = await row.request();
    await stack.idle();
    const before = await othersItems();
    expect(Object.keys(before).length).toBeGreaterThan(0);

    const answer = await stack.call(row.route, request, await tokenFor(row.route));
    await stack.idle();

    expect(answer.status).toBeLessThan(500);
    if (pathParameters(row.route).length > 0 && row.kind.startsWith("another agency's")) expect(answer.status).toBe(404);
    if (row.refused) {
      expect(answer.status).toBe(400);
      expect(answer.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([...row.refused].sort());
    }
    expect(await othersItems()).toStrictEqual(before);
  });
});

describe("on the bus: an event naming an agency outside the sender's region", () => {
  test.each([
    [
      'a referral',
      anEvent('EnquiryReferredOn', '2019-07-01', { agencyId: ownAgency, householdId: 'bus-referred', toAgencyId: outsider }),
      'toAgencyId',
    ],
    [
      'a shared campaign',
      anEvent('CampaignLaunched', '2019-07-01', {
        agencyId: ownAgency,
        campaignId: 'bus-shared',
        name: 'Shared too widely',
        channels: ['radio'],
        startsOn: '2019-07-01',
        agencyIds: [ownAgency, outsider],
      }),
      'agencyIds.1',
    ],
    [
      'a referral from an agency in no region',
      anEvent('EnquiryReferredOn', '2019-07-01', { agencyId: outsider, householdId: 'bus-outsider', toAgencyId: ownAgency }),
      'toAgencyId',
    ],
  ])('%s is dead-lettered with the reason and changes nothing', async (_label, event, field) => {
    const before = { others: await othersItems(), letters: stack.deadLetters.length };
    await stack.record(event);
    const letters = stack.deadLetters.slice(before.letters);
    expect(letters).toEqual([expect.objectContaining({ reason: expect.stringContaining(`${field}: `) })]);
    expect(letters[0]!.reason).toContain(event.detail.eventId);
    expect(await othersItems()).toStrictEqual(before.others);
  });
});

describe('a household referred back to the agency that referred it on', () => {
  test('is open there again at the stage it had reached, takes its next step, and counts once in the region', async () => {
    const householdId = 'referred-back';
    await stack.record(
      anEvent('EnquiryReceived', '2019-06-03', { agencyId: ownAgency, householdId, channel: 'radio' }),
      anEvent('EnquiryReferredOn', '2019-06-10', { agencyId: ownAgency, householdId, toAgencyId: neighbour }),
    );
    await stack.record(
      anEvent('InitialVisitCompleted', '2019-06-20', { agencyId: neighbour, householdId }),
      anEvent('EnquiryReferredOn', '2019-07-01', { agencyId: neighbour, householdId, toAgencyId: ownAgency }),
    );
    const route = (name: ApiRouteName) => apiRoutes.find((r) => r.name === name)!;
    const manager = await signLocalToken({ groups: ['manager'], agencyId: ownAgency, secret: stack.jwtSecret });
    const home = await stack.call(route('GetHousehold'), { path: { householdId } }, manager);
    expect(home.body).toMatchObject({ status: 'open', stage: 'initialVisit', closure: null, enquiry: { channel: 'radio' } });

    const next = await stack.call(
      route('StartAssessment'),
      { path: { householdId }, body: { occurredAt: '2019-07-15T10:00:00Z' } },
      await tokenFor(route('StartAssessment')),
    );
    expect([next.status, next.body?.error]).toEqual([202, undefined]);
    await stack.idle(); // the outbox too: the conversion counts are kept from the stream

    const regional = await signLocalToken({ groups: ['regional'], regionId: ownRegion, secret: stack.jwtSecret });
    const conversion = await stack.call(
      route('CampaignConversion'),
      { query: { from: '2019-06-01', to: '2019-06-30', region: ownRegion } },
      regional,
    );
    const agencyView = (agencyId: string) =>
      signLocalToken({ groups: ['manager'], agencyId, secret: stack.jwtSecret }).then((token) =>
        stack.call(route('CampaignConversion'), { query: { from: '2019-06-01', to: '2019-06-30' } }, token),
      );
    // Every agency of the region, its hub too (the hub's rows above left records of its own).
    const views = await Promise.all(agenciesOfRegion(ownRegion)!.map(agencyView));
    // Each agency keeps its own copy; the region counts the household once, where it is open, with its assessment.
    expect(conversion.status).toBe(200);
    const sum = (field: 'enquiries' | 'assessments') => views.reduce((total, view) => total + view.body.cohort[field], 0);
    expect(conversion.body.cohort.enquiries).toBe(sum('enquiries') - 1);
    expect(conversion.body.cohort.assessments).toBe(sum('assessments'));
  });
});
