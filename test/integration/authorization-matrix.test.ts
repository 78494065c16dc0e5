// Roles and tenancy (docs/rules.md): every route × every role × own agency / other agency / bad tokens,
// each with its exact status; rows from the route table, each 2xx made real by its route's fixture.
import { SignJWT } from 'jose';
import { apiRoutes as routeTable, roles, type ApiRoute, type ApiRouteName, type Role } from '../../shared/wiring/http-routes';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER, signLocalToken } from '../../local/tokens';
import { startInProcessStack, pathParameters, type Answer, type InProcessStack } from '../support/in-process-stack';
import { actingAgency, routeFixtures } from '../support/route-fixtures';

/** The route table, each route read through the general shape (optional fields included). */
const apiRoutes: ReadonlyArray<ApiRoute & { name: ApiRouteName }> = routeTable;

const ownAgency = 'cambs';
/** In the same region as the own agency: a neighbour in the hub still sees nothing of it. */
const otherAgency = 'norfolk';
const ownRegion = 'east-of-england'; // cambs, peterborough, norfolk; its hub eoe-hub (shared/wiring/regions.json)
/** The own agency on a route: for a hub's route, the own region's hub (route-fixtures.ts). */
const ownAgencyFor = (route: ApiRoute & { name: ApiRouteName }) => actingAgency(routeFixtures[route.name], ownAgency);
const otherRegion = 'north-west';

type Credential = 'valid' | 'none' | 'expired' | 'forged' | 'wrong audience' | 'access';
interface Cell {
  label: string;
  credential: Credential;
  groups: readonly Role[];
  /** Whose token: the own agency's (or region's), or another's using the own agency's ids. */
  whose: 'own' | 'other';
}

const cells: Cell[] = [
  ...roles.flatMap((role): Cell[] => [
    { label: `${role}, ${role === 'regional' ? 'own region' : 'own agency'}`, credential: 'valid', groups: [role], whose: 'own' },
    { label: `${role}, ${role === 'regional' ? 'another region' : 'another agency'}`, credential: 'valid', groups: [role], whose: 'other' },
  ]),
  // A person holding several groups has the union.
  { label: 'every group, own agency', credential: 'valid', groups: roles, whose: 'own' },
  // `access`: a genuine access token, which the HTTP API's authorizer lets through (its client_id matches).
  ...(['none', 'expired', 'forged', 'wrong audience', 'access'] as const).map((credential): Cell => ({
    label: `${credential === 'none' ? 'no' : credential} token`,
    credential,
    groups: [],
    whose: 'own',
  })),
];

const idsInPath = (route: ApiRoute) => pathParameters(route).length > 0;
/** A command, and the public's enquiry post, answer 202 once recorded. */
const records = (route: ApiRoute) => route.kind === 'command' || (route.kind === 'public' && route.method === 'POST');
const succeeds = (route: ApiRoute) => (records(route) ? 202 : 200);

/** The rule, as docs/rules.md (roles, tenancy) states it. */
function expectedStatus(route: ApiRoute, cell: Cell): number {
  if (route.allowedRoles.length === 0) return succeeds(route); // public: no authorizer runs, whatever is sent
  if (cell.credential !== 'valid') return 401;
  if (!cell.groups.some((group) => (route.allowedRoles as readonly Role[]).includes(group))) return 403;
  if (cell.groups.length === 1 && cell.groups[0] === 'regional') return cell.whose === 'own' ? 200 : 403;
  // Another agency on a hub's route is a council, which is no hub.
  if (cell.whose === 'other' && routeFixtures[route.name as ApiRouteName].hubOnly) return 403;
  if (cell.whose === 'other' && idsInPath(route)) return 404; // another agency's ids do not exist for it
  return succeeds(route);
}

let stack: InProcessStack;
const sign = (claims: Parameters<typeof signLocalToken>[0]) => signLocalToken({ secret: stack.jwtSecret, ...claims });

/** The token a cell sends: the claims it names, spoilt as the cell says. */
async function tokenFor(route: ApiRoute & { name: ApiRouteName }, cell: Cell): Promise<string | undefined> {
  const ownAgency = ownAgencyFor(route);
  // A token that would be accepted if it were valid: a group the route allows, the own agency.
  const groups =
    cell.credential === 'valid' ? cell.groups : route.allowedRoles.length > 0 ? [route.allowedRoles[0]!] : ['recruitment' as const];
  const regional = groups.length === 1 && groups[0] === 'regional';
  const claims = regional
    ? { groups, regionId: cell.whose === 'own' ? ownRegion : otherRegion }
    : { groups, agencyId: cell.whose === 'own' ? ownAgency : otherAgency, ...(groups.includes('regional') ? { regionId: ownRegion } : {}) };
  switch (cell.credential) {
    case 'none':
      return undefined;
    case 'valid':
      return sign(claims);
    case 'expired':
      return sign({ ...claims, expiresInSeconds: -60 });
    case 'forged':
      return signLocalToken({ ...claims, secret: 'another-secret' });
    case 'wrong audience':
      return new SignJWT({ 'cognito:groups': [...groups], 'custom:agencyId': ownAgency })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(LOCAL_JWT_ISSUER)
        .setAudience('another-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(stack.jwtSecret));
    case 'access':
      return new SignJWT({ 'cognito:groups': [...groups], 'custom:agencyId': ownAgency, token_use: 'access' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(LOCAL_JWT_ISSUER)
        .setAudience(LOCAL_JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(stack.jwtSecret));
  }
}

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR'; // hundreds of requests; a 500 still logs
  stack = await startInProcessStack();
});
afterAll(() => stack?.stop());

const context = (route: ApiRoute & { name: ApiRouteName }) => ({ agencyId: ownAgencyFor(route), record: stack.record });

test('every route in the route table has a fixture, and every fixture a route', () => {
  expect(apiRoutes.map((r) => r.name).filter((name) => !(name in routeFixtures))).toEqual([]);
  expect(Object.keys(routeFixtures).filter((name) => !apiRoutes.some((r) => r.name === name))).toEqual([]);
});

test('every read that names no id says how its answer tells one agency from another', () => {
  const reads = apiRoutes.filter((r) => r.method === 'GET' && r.allowedRoles.length > 0 && !idsInPath(r));
  expect(reads.filter((r) => !routeFixtures[r.name].footprint).map((r) => r.name)).toEqual([]);
});

describe.each(apiRoutes.map((route) => [route.name, route] as const))('%s', (_name, route) => {
  test(`answers each caller with the status its roles give it`, async () => {
    const fixture = routeFixtures[route.name];
    // Refusals change nothing, so one prepared request serves them all; each success gets fresh state.
    const shared = await fixture.prepare(context(route));
    const actual: string[] = [];
    const expected: string[] = [];
    for (const cell of cells) {
      const status = expectedStatus(route, cell);
      const request = status < 300 && route.method !== 'GET' ? await fixture.prepare(context(route)) : shared;
      const before = stack.settled.length;
      const answer = await stack.call(
        route,
        regionalRead(route, cell) ? { ...request, query: { ...request.query, region: ownRegion } } : request,
        await tokenFor(route, cell),
      );
      await stack.idle();
      const published = stack.settled.slice(before).map((s) => s.event.detail as { agencyId: string; householdId?: string });

      expected.push(`${cell.label}: ${status}`);
      actual.push(`${cell.label}: ${answer.status}${answer.status >= 500 ? ` ${JSON.stringify(answer.body)}` : ''}`);
      if (answer.status !== status) continue; // the list comparison below reports it

      if (status >= 400) {
        expect({ cell: cell.label, error: answer.body.error?.code, published }).toEqual({
          cell: cell.label,
          error: expect.any(String),
          published: [],
        });
      } else if (records(route)) {
        // A command records exactly its one event, for the caller's own agency, whatever the token's
        // agency: that is what "another agency" means for a command whose path names no id. The
        // public's enquiry is the agency's its path names, whatever token comes with it.
        const agencyId = route.kind === 'public' || cell.whose === 'own' ? ownAgencyFor(route) : otherAgency;
        expect({ cell: cell.label, published }).toEqual({
          cell: cell.label,
          published: [
            expect.objectContaining({ agencyId, ...(request.path?.householdId ? { householdId: request.path.householdId } : {}) }),
          ],
        });
      } else {
        expect({ cell: cell.label, published }).toEqual({ cell: cell.label, published: [] });
        await checkContent(route, cell, request, answer);
      }
    }
    expect(actual).toEqual(expected);
  });
});

/** A regional token reading a regional route names its own region (`?region`), as it may. */
function regionalRead(route: ApiRoute, cell: Cell): boolean {
  return cell.credential === 'valid' && route.regional === true && cell.groups.length === 1 && cell.groups[0] === 'regional';
}

/** What a successful read shows, by whose token it was. */
async function checkContent(
  route: ApiRoute & { name: ApiRouteName },
  cell: Cell,
  request: { path?: Record<string, string> },
  answer: Answer,
): Promise<void> {
  const fixture = routeFixtures[route.name];
  if (route.name === 'GetHousehold') {
    // Contact details for recruitment only.
    expect({
      cell: cell.label,
      householdId: answer.body.householdId,
      agencyId: answer.body.agencyId,
      contactShown: 'contact' in answer.body,
    }).toEqual({
      cell: cell.label,
      householdId: request.path?.householdId,
      agencyId: ownAgency,
      contactShown: cell.groups.includes('recruitment'),
    });
  } else if (route.name === 'EraseContact') {
    expect(answer.body).toEqual({ householdId: request.path?.householdId, erased: expect.any(Boolean) });
  } else if (fixture.footprint && (route.name === 'FindHouseholds' || route.name === 'Caseload')) {
    // Names in the search and the work list for recruitment only.
    const households = answer.body.households as Array<Record<string, unknown>>;
    expect({
      cell: cell.label,
      seesOwnAgencysRecords: (await fixture.footprint(answer.body)) > 0,
      nameShown: households.some((h) => 'name' in h),
    }).toEqual({
      cell: cell.label,
      seesOwnAgencysRecords: cell.whose === 'own',
      nameShown: households.length > 0 && cell.groups.includes('recruitment'),
    });
  } else if (fixture.footprint) {
    // The own agency (or its region) sees what was prepared for it; another agency sees none of it.
    const seen = await fixture.footprint(answer.body);
    expect({ cell: cell.label, seesOwnAgencysRecords: seen > 0 }).toEqual({
      cell: cell.label,
      seesOwnAgencysRecords: cell.whose === 'own',
    });
  }
}

test('a regional token names only its own region: another region, or ?region on an agency token, is 403', async () => {
  const regional = await sign({ groups: ['regional'], regionId: ownRegion });
  const manager = await sign({ groups: ['manager'], agencyId: ownAgency });
  const results: string[] = [];
  for (const route of apiRoutes.filter((r) => r.regional)) {
    const { query } = await routeFixtures[route.name].prepare(context(route));
    results.push(
      `${route.name} regional ?region=${otherRegion}: ${(await stack.call(route, { query: { ...query, region: otherRegion } }, regional)).status}`,
    );
    results.push(
      `${route.name} manager ?region=${ownRegion}: ${(await stack.call(route, { query: { ...query, region: ownRegion } }, manager)).status}`,
    );
  }
  expect(results).toEqual(
    apiRoutes
      .filter((r) => r.regional)
      .flatMap((r) => [`${r.name} regional ?region=${otherRegion}: 403`, `${r.name} manager ?region=${ownRegion}: 403`]),
  );
});
