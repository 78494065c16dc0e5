// The local HTTP server serving the dashboard: its built files at `/` on paths no API route claims,
// a config.json for local sign-in, and POST /_local/token, which signs what `npm run token` would.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { startLocalHttpServer, type LocalHttpServer } from '../../local/http-server';
import { verifyLocalToken } from '../../local/tokens';

const secret = 'test-secret';
let dashboardDir: string;
let withDashboard: LocalHttpServer;
let apiOnly: LocalHttpServer;
let handled: string[];

beforeAll(async () => {
  dashboardDir = mkdtempSync(join(tmpdir(), 'dashboard-build-'));
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>dashboard</title>');
  writeFileSync(join(dashboardDir, 'app.js'), 'console.log("dashboard")');
  const loadHandler = (entry: string) => async () => {
    handled.push(entry);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entry }) };
  };
  [withDashboard, apiOnly] = await Promise.all([
    startLocalHttpServer({ port: 0, jwtSecret: secret, dashboardDir, loadHandler, log: () => undefined }),
    startLocalHttpServer({ port: 0, jwtSecret: secret, loadHandler, log: () => undefined }),
  ]);
});
afterAll(async () => {
  await Promise.all([withDashboard.stop(), apiOnly.stop()]);
  rmSync(dashboardDir, { recursive: true, force: true });
});
beforeEach(() => (handled = []));

const signIn = (server: LocalHttpServer, body: unknown) =>
  fetch(`${server.url}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe("the dashboard's files", () => {
  test('`/` is the built index.html, with a Content-Security-Policy that keeps the page to its own origin', async () => {
    const response = await fetch(`${withDashboard.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await response.text()).toBe('<!doctype html><title>dashboard</title>');
  });

  test('other built files come with their content type', async () => {
    const response = await fetch(`${withDashboard.url}/app.js`);
    expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'console.log("dashboard")',
    ]);
  });

  test('config.json tells the page to sign in locally and call the API on its own origin', async () => {
    const response = await fetch(`${withDashboard.url}/config.json`);
    expect(await response.json()).toEqual({ signIn: 'local', apiUrl: '' });
  });

  test('API paths keep priority over files', async () => {
    mkdirSync(join(dashboardDir, 'enquire'), { recursive: true });
    writeFileSync(join(dashboardDir, 'enquire', 'agency-1'), 'not the form');
    const response = await fetch(`${withDashboard.url}/enquire/agency-1`);
    expect(await response.json()).toEqual({ entry: 'api/enquiry-form' });
    expect(handled).toEqual(['api/enquiry-form']);
  });

  test.each(['/missing.js', '/..%2Fpackage.json', '/%2e%2e/package.json', '/sub/app.js'])(
    '%s is not found, as any unknown path',
    async (path) => {
      const response = await fetch(`${withDashboard.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no such route' } });
    },
  );

  test('a server started without a dashboard serves no page', async () => {
    expect((await fetch(`${apiOnly.url}/`)).status).toBe(404);
  });
});

describe('POST /_local/token (local sign-in)', () => {
  test('signs a token for the role and agency picked, which the local authorizer accepts', async () => {
    const response = await signIn(withDashboard, { groups: ['manager'], agencyId: 'cambs' });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(await verifyLocalToken(token, secret)).toMatchObject({ 'cognito:groups': ['manager'], 'custom:agencyId': 'cambs' });
  });

  test("signs a regional reader's token for a region", async () => {
    const { token } = (await (await signIn(withDashboard, { groups: ['regional'], regionId: 'east-of-england' })).json()) as {
      token: string;
    };
    expect(await verifyLocalToken(token, secret)).toMatchObject({ 'cognito:groups': ['regional'], 'custom:regionId': 'east-of-england' });
  });

  test.each([
    ['an unknown role', { groups: ['admin'], agencyId: 'cambs' }, 'groups.0'],
    ['no agency for an agency role', { groups: ['recruitment'] }, 'agencyId'],
    ['no region for the regional role', { groups: ['regional'] }, 'regionId'],
    ['an agency id with a slash', { groups: ['marketing'], agencyId: 'cambs/other' }, 'agencyId'],
  ])('refuses %s (400, naming the field)', async (_, body, field) => {
    const response = await signIn(withDashboard, body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { fields: Array<{ field: string }> } };
    expect(error.fields.map((f) => f.field)).toContain(field);
  });

  test('exists only on a server that serves the dashboard', async () => {
    expect((await signIn(apiOnly, { groups: ['manager'], agencyId: 'cambs' })).status).toBe(404);
  });
});

describe('/_local/* is for this machine alone', () => {
  /** A raw request, so that Host and Origin can be what a browser on another site would send. */
  const raw = (server: LocalHttpServer, headers: Record<string, string>, body = '{"groups":["manager"],"agencyId":"cambs"}') =>
    new Promise<number>((done, fail) => {
      const request = httpRequest(
        `${server.url}/_local/token`,
        { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } },
        (response) => {
          response.resume();
          done(response.statusCode ?? 0);
        },
      );
      request.on('error', fail);
      request.end(body);
    });
  const json = { 'content-type': 'application/json' };

  test("a loopback Host, the page's own Origin and a JSON body: answered", async () => {
    const host = new URL(withDashboard.url).host;
    expect(await raw(withDashboard, { ...json, host, origin: `http://${host}` })).toBe(200);
    expect(await raw(withDashboard, { ...json, host: `localhost:${new URL(withDashboard.url).port}` })).toBe(200);
  });

  test.each([
    ['a Host that is not the loopback address (a DNS-rebound name)', { ...json, host: 'attacker.example' }, 403],
    ['a cross-site Origin', { ...json, host: '127.0.0.1', origin: 'https://attacker.example' }, 403],
    [
      'a form body (what a page of another site can send without asking)',
      { 'content-type': 'application/x-www-form-urlencoded', host: '127.0.0.1' },
      415,
    ],
    ['a text/plain body', { 'content-type': 'text/plain', host: '127.0.0.1' }, 415],
    ['a body with no content type', { host: '127.0.0.1' }, 415],
  ])('refuses %s', async (_, headers, status) => {
    expect(await raw(withDashboard, headers)).toBe(status);
  });
});
