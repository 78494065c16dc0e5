// The local HTTP API serves the real apiRoutes to injected fake handlers: what those handlers are
// handed must be what API Gateway's HTTP API (payload 2.0, JWT authorizer) hands them in AWS.
import { SignJWT } from 'jose';
import { startLocalHttpServer, type LocalApiEvent, type LocalHttpServer } from '../../local/http-server';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER, signLocalToken } from '../../local/tokens';

const secret = 'test-secret';
let server: LocalHttpServer;
let events: Array<{ entry: string; event: LocalApiEvent }>;
let logLines: string[];
let ready: boolean;

beforeAll(async () => {
  server = await startLocalHttpServer({
    port: 0,
    jwtSecret: secret,
    ready: () => ready,
    log: (line) => logLines.push(line),
    loadHandler: (entry) => async (event) => {
      events.push({ entry, event: event as LocalApiEvent });
      return { statusCode: 202, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ entry }) };
    },
  });
});
afterAll(() => server.stop());
beforeEach(() => {
  events = [];
  logLines = [];
  ready = true;
});

const token = (overrides: Partial<Parameters<typeof signLocalToken>[0]> = {}): Promise<string> =>
  signLocalToken({ groups: ['recruitment'], agencyId: 'agency-1', secret, ...overrides });

async function call(method: string, path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('JWT authorizer emulation', () => {
  const cases: Array<[string, () => Promise<string | undefined>]> = [
    ['missing', async () => undefined],
    ['expired', () => token({ expiresInSeconds: -60 })],
    ['forged (signed with another secret)', () => token({ secret: 'not-the-secret' })],
    [
      'for another audience',
      () =>
        new SignJWT({ 'cognito:groups': ['recruitment'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setAudience('another-api')
          .setIssuer(LOCAL_JWT_ISSUER)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(secret)),
    ],
    [
      'from another issuer',
      () =>
        new SignJWT({ 'cognito:groups': ['recruitment'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setAudience(LOCAL_JWT_AUDIENCE)
          .setIssuer('someone-else')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(secret)),
    ],
    [
      'without exp',
      () =>
        new SignJWT({ 'cognito:groups': ['recruitment'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setAudience(LOCAL_JWT_AUDIENCE)
          .setIssuer(LOCAL_JWT_ISSUER)
          .sign(new TextEncoder().encode(secret)),
    ],
    ['not a JWT', async () => 'not-a-jwt'],
  ];

  test.each(cases)('a %s token gets 401 and the handler is not invoked', async (_, makeToken) => {
    const response = await call('POST', '/enquiries', { token: await makeToken(), body: {} });

    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(events).toEqual([]);
  });

  test('claims reach the handler as the HTTP API hands them over: strings, groups flattened', async () => {
    const jwt = await token({ groups: ['recruitment', 'manager'], regionId: 'north' });
    const response = await call('POST', '/households/h-42/approval', { token: jwt, body: { approvedBeds: 2 } });

    expect(response.status).toBe(202);
    const event = events[0]?.event;
    const claims = event?.requestContext.authorizer?.jwt.claims ?? {};
    expect(claims).toMatchObject({
      'cognito:groups': '[recruitment manager]',
      'custom:agencyId': 'agency-1',
      'custom:regionId': 'north',
      aud: LOCAL_JWT_AUDIENCE,
      iss: LOCAL_JWT_ISSUER,
    });
    expect(claims.exp).toMatch(/^\d+$/);
    expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
    expect(event?.requestContext.authorizer?.jwt.scopes).toBeNull();
    // Neither the token nor the body is ever logged.
    expect(logLines.join('\n')).not.toContain(jwt);
    expect(logLines.join('\n')).not.toContain('approvedBeds');
  });
});

test('hands the handler an API Gateway v2 event with path parameters from the route template', async () => {
  const jwt = await token();
  await call('POST', '/households/h-42/approval?dryRun=1&tag=a&tag=b', {
    token: jwt,
    body: { approvedBeds: 2 },
    headers: { 'Idempotency-Key': 'key-1' },
  });

  expect(events).toHaveLength(1);
  const { entry, event } = events[0]!;
  expect(entry).toBe('api/approve-household');
  expect(event).toMatchObject({
    version: '2.0',
    routeKey: 'POST /households/{householdId}/approval',
    rawPath: '/households/h-42/approval',
    rawQueryString: 'dryRun=1&tag=a&tag=b',
    queryStringParameters: { dryRun: '1', tag: 'a,b' },
    pathParameters: { householdId: 'h-42' },
    body: JSON.stringify({ approvedBeds: 2 }),
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', path: '/households/h-42/approval' },
      routeKey: 'POST /households/{householdId}/approval',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      stage: '$default',
    },
  });
  expect(event.headers['idempotency-key']).toBe('key-1');
  expect(event.headers.authorization).toBe(`Bearer ${jwt}`);
});

test('a route open to all is served without a token and without an authorizer', async () => {
  const response = await call('GET', '/enquire/agency-1');

  expect(response.status).toBe(202);
  expect(events[0]?.entry).toBe('api/enquiry-form');
  expect(events[0]?.event.requestContext.authorizer).toBeUndefined();
});

test('the API described as OpenAPI is a static document: served without a token, no handler invoked', async () => {
  const response = await call('GET', '/openapi.json');

  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ openapi: expect.stringMatching(/^3\.1/), paths: expect.any(Object) });
  expect(events).toEqual([]);
});

test('an unknown path is 404 and a known path with the wrong method is 405', async () => {
  const notFound = await call('GET', '/nowhere');
  expect(notFound.status).toBe(404);
  expect(notFound.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

  const wrongMethod = await call('GET', '/households/h-42/approval');
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.body).toEqual({ error: { code: 'method_not_allowed', message: expect.any(String) } });
  expect(wrongMethod.headers.get('allow')).toBe('POST');
  expect(events).toEqual([]);
});

test('GET /health is 200 only once the stack is ready', async () => {
  ready = false;
  expect((await call('GET', '/health')).status).toBe(503);
  ready = true;
  expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
});
