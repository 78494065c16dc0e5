// The dashboard, locally: its built files at `/` (dashboard/dist), a config.json that says
// "sign in locally", and POST /_local/token, which signs a local token for the role and agency
// (or region) the person picks. Local only: none of this is deployed. In AWS the dashboard is
// served by CloudFront with a config.json naming Cognito, and Cognito issues the tokens.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import * as z from 'zod';
import { roles } from '../shared/wiring/http-routes';
import { Identifier } from '../shared/events/catalogue';
import { signLocalToken } from './tokens';

export const LOCAL_TOKEN_PATH = '/_local/token';

export interface LocalReply {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const json = (statusCode: number, value: unknown): LocalReply => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(value),
});

const SignInRequest = z
  .strictObject({
    groups: z.array(z.enum(roles)).min(1),
    agencyId: Identifier.optional(),
    regionId: Identifier.optional(),
    /** Who is signing in, as the timelines will say it. */
    name: z.string().trim().min(1).max(100).optional(),
  })
  .refine((r) => r.groups.every((g) => g === 'regional') || r.agencyId !== undefined, {
    path: ['agencyId'],
    message: 'required for this role',
  })
  .refine((r) => !r.groups.includes('regional') || r.regionId !== undefined, {
    path: ['regionId'],
    message: 'required for the regional role',
  });

/** POST /_local/token: what `npm run token` prints, for the dashboard's local sign-in. */
export async function localSignIn(body: string, secret: string): Promise<LocalReply> {
  let input: unknown;
  try {
    input = JSON.parse(body || '{}');
  } catch {
    return json(400, { error: { code: 'invalid_request', message: 'the body is not valid JSON' } });
  }
  const parsed = SignInRequest.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
    return json(400, { error: { code: 'invalid_request', message: 'choose a role and an agency (or region)', fields } });
  }
  return json(200, { token: await signLocalToken({ ...parsed.data, secret }) });
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The same policy CloudFront sends (infra/dashboard.ts), with the API on the page's own origin. */
export const LOCAL_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** GET of a path no API route claims: a file of the built dashboard, or undefined. */
export function dashboardFile(dir: string, rawPath: string): LocalReply | undefined {
  if (rawPath === '/config.json') return json(200, { signIn: 'local', apiUrl: '' });
  const name = rawPath === '/' ? 'index.html' : rawPath.slice(1);
  // The build is one flat folder: a plain file name or nothing, so no path can leave it.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)+$/.test(name)) return undefined;
  const file = join(dir, name);
  if (!existsSync(file)) {
    if (name !== 'index.html') return undefined;
    return {
      statusCode: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'The dashboard is not built yet: run `npm run build:dashboard` (npm start does it first).\n',
    };
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(name.endsWith('.html') ? { 'content-security-policy': LOCAL_CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' } : {}),
    },
    body: readFileSync(file),
  };
}
