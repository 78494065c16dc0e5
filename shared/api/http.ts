// The one HTTP layer every API route passes through: identity from the JWT authorizer's claims,
// authorization from the route table, errors in the SPEC §4 shape. Handlers only add their logic.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { fieldErrors, type FieldError } from '../events/catalogue';
import { logger } from '../logger';
import { apiRoute, roles, type ApiRoute, type ApiRouteName, type Role } from './routes';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly fields?: FieldError[]) {
    super(message);
  }
}

export const badRequest = (fields: FieldError[], message = 'the request is invalid') => new HttpError(400, 'invalid_request', message, fields);
export const notFound = (what: string) => new HttpError(404, 'not_found', `no such ${what} in this agency`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);

/** Who is calling, as the JWT authorizer's claims say. */
export interface Principal {
  groups: Role[];
  agencyId?: string;
  regionId?: string;
  /** The token's `sub`: an opaque id, recorded where a change is audited. */
  subject?: string;
}

/** The authorizer hands array claims over flattened: `cognito:groups` arrives as "[recruitment manager]". */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

export function principalOf(event: ApiEvent): Principal | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) return undefined;
  const groups = parseGroups(claims['cognito:groups']).filter((g): g is Role => (roles as readonly string[]).includes(g));
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return { groups, agencyId: text(claims['custom:agencyId']), regionId: text(claims['custom:regionId']), subject: text(claims.sub) };
}

/** A caller acting for one agency, with the groups that let it call this route. */
export interface AgencyCaller extends Principal {
  agencyId: string;
  has(role: Role): boolean;
}

export function authorize(route: ApiRoute, principal: Principal | undefined): AgencyCaller {
  if (!principal) throw new HttpError(401, 'unauthorized', 'a valid bearer token is required');
  const permitted = route.allowedRoles.filter((r) => principal.groups.includes(r));
  if (permitted.length === 0) throw new HttpError(403, 'forbidden', `this route needs one of the groups: ${route.allowedRoles.join(', ')}`);
  if (!principal.agencyId) throw new HttpError(403, 'forbidden', 'the token names no agency (custom:agencyId)');
  return { ...principal, agencyId: principal.agencyId, has: (role) => principal.groups.includes(role) };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function errorResult(error: HttpError): ApiResult {
  return json(error.status, { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } });
}

/** Parses with a zod schema; a failure is a 400 naming every bad field. */
export function parseOr400<T>(schema: z.ZodType<T>, input: unknown, message?: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw badRequest(fieldErrors(parsed.error.issues), message);
  return parsed.data;
}

export function jsonBody(event: ApiEvent): unknown {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest([{ field: '(body)', message: 'the body is not valid JSON' }]);
  }
}

export type RouteLogic = (caller: AgencyCaller, event: ApiEvent) => Promise<ApiResult>;

/** Wraps a route's logic in the shared chain: logger context, authorization, error mapping. */
export function httpRoute(name: ApiRouteName, logic: RouteLogic) {
  const route = apiRoute(name);
  const handle = async (event: ApiEvent, _context: Context): Promise<ApiResult> => {
    try {
      const result = await logic(authorize(route, principalOf(event)), event);
      logger.info('request handled', { route: route.name, status: result.statusCode });
      return result;
    } catch (error) {
      if (error instanceof HttpError) {
        logger.info('request refused', { route: route.name, status: error.status, code: error.code });
        return errorResult(error);
      }
      // Only the error's name and message are logged: never the request, which may hold contact details.
      logger.error('request failed', { route: route.name, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
      return errorResult(new HttpError(500, 'internal_error', 'something went wrong on our side; the request can be retried'));
    }
  };
  return middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
}

/** For the few routes without a token (the OpenAPI document). */
export function publicRoute(logic: (event: ApiEvent) => Promise<ApiResult>) {
  return middy(async (event: ApiEvent, _context: Context) => logic(event)).use(injectLambdaContext(logger));
}
