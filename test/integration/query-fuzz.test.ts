// The bounds on every input (docs/rules.md): every read answers whatever a caller puts in its query
// string or path with a 200, a 400 naming the bad parameter, or a 404, never a 500. Each run replaces
// one parameter of the route's valid fixture with a value drawn from what breaks parsers.
import fc from 'fast-check';
import { queryStrings } from '../../shared/api/route-schemas';
import { apiRoutes as routeTable, type ApiRoute, type ApiRouteName } from '../../shared/wiring/http-routes';
import { startInProcessStack, pathParameters, type Answer, type InProcessStack, type RouteRequest } from '../support/in-process-stack';
import { preview } from '../support/malformed';
import { actingAgency, routeFixtures } from '../support/route-fixtures';

const apiRoutes: ReadonlyArray<ApiRoute & { name: ApiRouteName }> = routeTable;
const agencyId = 'cambs';
/** `FUZZ_RUNS=2000 npx jest test/integration/query-fuzz` for a longer hunt. */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS) || 60;
const readRoutes = apiRoutes.filter((route) => route.kind === 'query');

const hostile = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0000-01-01',
    '0099-06-30',
    '9999-12-31',
    '2019-02-30',
    '2019-13-01',
    '1969-12-31',
    '2101-01-01',
    '2019-1-1',
    '20190101',
    'NaN',
    'Infinity',
    '-1',
    '0',
    '1e309',
    '99999999999999999999',
    '2019',
    '-2019',
    'x'.repeat(3_000),
    'a#b',
    'a b',
    '%00',
    '\u0000',
    'é',
    '__proto__',
    'constructor',
    'null',
    '[]',
    '{}',
    'campaign,channel',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: -1_000_000, max: 1_000_000_000 }).map(String),
  fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);

interface Input {
  request: RouteRequest;
  describe: string;
  /** `region` names whose figures are read: one not the caller's is a 403, whatever its spelling. */
  forbiddenMayBe?: boolean;
}

function inputs(route: ApiRoute, valid: RouteRequest): fc.Arbitrary<Input> {
  const schema = queryStrings[route.name as ApiRouteName] as { shape?: Record<string, unknown> } | undefined;
  const names = [...new Set([...Object.keys(valid.query ?? {}), ...Object.keys(schema?.shape ?? {}), 'unknownParameter'])];
  const params = pathParameters(route);
  const label = (input: Input): Input => Object.assign(input, { [fc.toStringMethod]: () => `${route.name}: ${input.describe}` });
  const query = fc.tuple(fc.constantFrom(...names), hostile).map(([name, value]) =>
    label({
      request: { ...valid, query: { ...valid.query, [name]: value } },
      describe: `?${name}=${preview(value)}`,
      forbiddenMayBe: name === 'region',
    }),
  );
  const path =
    params.length === 0
      ? []
      : [
          fc
            .tuple(
              fc.constantFrom(...params),
              hostile.filter((value) => value !== '' && !value.includes('/')),
            )
            .map(([name, value]) =>
              label({ request: { ...valid, path: { ...valid.path, [name]: value } }, describe: `{${name}} = ${preview(value)}` }),
            ),
        ];
  return fc.oneof(query, ...path);
}

let stack: InProcessStack;
const outcomes = new Map<number, number>();

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR'; // hundreds of refusals; a 500 still logs
  stack = await startInProcessStack();
});
afterAll(async () => {
  await stack?.stop();
  console.log(
    `query fuzz: ${[...outcomes]
      .sort()
      .map(([status, n]) => `${n}×${status}`)
      .join(', ')}`,
  );
});

function expectSafe(input: Input, answer: Answer): void {
  outcomes.set(answer.status, (outcomes.get(answer.status) ?? 0) + 1);
  expect(input.forbiddenMayBe ? [200, 400, 403, 404] : [200, 400, 404]).toContain(answer.status);
  if (answer.status === 400) {
    expect(answer.body.error).toEqual(expect.objectContaining({ code: 'invalid_request', message: expect.any(String) }));
    // A 400 names what is wrong: at least one field, each a parameter of the request.
    const fields = (answer.body.error.fields ?? []).map((f: { field: string }) => f.field);
    expect(fields.length).toBeGreaterThan(0);
  }
}

test('every read with input is fuzzed (a query schema or a path parameter)', () => {
  const withInput = readRoutes.filter((route) => queryStrings[route.name] || pathParameters(route).length > 0);
  expect(withInput.length).toBeGreaterThan(10);
});

describe.each(readRoutes.map((route) => [route.name, route] as const))('%s', (_name, route) => {
  test(`${RUNS_PER_ROUTE} hostile query strings and path ids: 200, 400 naming a field, or 404; never 500`, async () => {
    // A hub's route is called as the region's hub (route-fixtures.ts).
    const actingAs = actingAgency(routeFixtures[route.name], agencyId);
    const claims = { 'cognito:groups': `[${route.allowedRoles.join(' ')}]`, 'custom:agencyId': actingAs, sub: 'fuzz' };
    const valid = await routeFixtures[route.name].prepare({ agencyId: actingAs, record: stack.record });
    const first = await stack.invoke(route, valid, claims);
    expect([route.name, first.status]).toEqual([route.name, 200]);
    await fc.assert(
      fc.asyncProperty(inputs(route, valid), async (input) => expectSafe(input, await stack.invoke(route, input.request, claims))),
      { numRuns: RUNS_PER_ROUTE },
    );
  });
});
