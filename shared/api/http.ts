// The one HTTP layer every API route passes through: identity from the JWT authorizer's claims,
// authorization from the route table, errors in one shape (docs/api.md). Handlers only add their logic.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { Scope } from '../domain/scope';
import { fieldErrors, Identifier, type FieldError } from '../events/catalogue';
import { logger, loggerContext } from '../logger';
import { apiRoute, roles, type ApiRoute, type ApiRouteName, type Role } from '../wiring/http-routes';
import { agenciesOfRegion } from '../wiring/regions';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}

export const badRequest = (fields: FieldError[], message = 'the request is invalid') =>
  new HttpError(400, 'invalid_request', message, fields);
export const notFound = (what: string) => new HttpError(404, 'not_found', `no such ${what} in this agency`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);

/** Who is calling, as the JWT authorizer's claims say. */
export interface Principal {
  groups: Role[];
  agencyId?: string;
  regionId?: string;
  /** The token's `sub`: an opaque id, recorded where a change is audited. */
  subject?: string;
  /** The token's `name`: the staff directory's display name for the sub, never on the bus. */
  name?: string;
}

/** The authorizer hands array claims over flattened: `cognito:groups` arrives as "[recruitment manager]". */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function principalOf(event: ApiEvent): Principal | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) return undefined;
  // The JWT authorizer also lets a Cognito access token through (its client_id matches the audience),
  // but only the ID token carries the agency, region and name: anything else is refused here, at once.
  if (claims.token_use !== 'id') throw new HttpError(401, 'unauthorized', 'the API takes the ID token (token_use "id")');
  const groups = parseGroups(claims['cognito:groups']).filter((g): g is Role => (roles as readonly string[]).includes(g));
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    groups,
    agencyId: text(claims['custom:agencyId']),
    regionId: text(claims['custom:regionId']),
    subject: text(claims.sub),
    name: text(claims.name),
  };
}

/** A caller, with the scope it acts for and the groups it holds. */
export interface Caller extends Principal {
  scope: Scope;
  has(role: Role): boolean;
}

/** A caller acting for one agency. */
export interface AgencyCaller extends Caller {
  agencyId: string;
  scope: { kind: 'agency'; agencyId: string };
}

const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

/**
 * The one authorization rule: the token's groups must include one the route allows; a request acts
 * for the token's agency, except a `regional` read of a route that allows it, which acts for the
 * token's region (`?region` may name it, and must then be that region).
 */
export function authorize(route: ApiRoute, principal: Principal | undefined, requestedRegion?: string): Caller {
  if (!principal) throw new HttpError(401, 'unauthorized', 'a valid bearer token is required');
  const permitted = route.allowedRoles.filter((r) => principal.groups.includes(r));
  if (permitted.length === 0) throw forbidden(`this route needs one of the groups: ${route.allowedRoles.join(', ')}`);
  const has = (role: Role) => principal.groups.includes(role);

  const regionalRead = route.regional === true && (requestedRegion !== undefined || permitted.every((r) => r === 'regional'));
  if (regionalRead) {
    if (!has('regional')) throw forbidden('only a regional token reads a region');
    if (!principal.regionId) throw forbidden('the token names no region (custom:regionId)');
    if (requestedRegion !== undefined && requestedRegion !== principal.regionId)
      throw forbidden(`this token reads region ${principal.regionId} only`);
    const agencyIds = agenciesOfRegion(principal.regionId);
    if (!agencyIds) throw forbidden(`region ${principal.regionId} is not configured`);
    return { ...principal, scope: { kind: 'region', regionId: principal.regionId, agencyIds }, has };
  }
  if (requestedRegion !== undefined) throw forbidden('this route reads one agency: drop ?region');
  if (!principal.agencyId) throw forbidden('the token names no agency (custom:agencyId)');
  return { ...principal, scope: { kind: 'agency', agencyId: principal.agencyId }, has };
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

/** The largest request body a command takes (what EventBridge takes in one PutEvents). */
export const MAX_BODY_BYTES = 256 * 1024;

export function jsonBody(event: ApiEvent): unknown {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw badRequest([{ field: '(body)', message: `the body is over ${MAX_BODY_BYTES / 1024} KB` }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest([{ field: '(body)', message: 'the body is not valid JSON' }]);
  }
  // Spread into the command's input, `null` or `[]` would pass as an empty body and a string as fields "0", "1", …
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest([{ field: '(body)', message: 'the body must be a JSON object' }]);
  }
  return parsed;
}

/** The Lambda context comes along for what needs it (idempotency registers it, to know the timeout). */
export type RouteLogic<C extends Caller = AgencyCaller> = (caller: C, event: ApiEvent, context: Context) => Promise<ApiResult>;

/** Wraps a route's logic in the shared chain: logger context, authorization, error mapping. */
export function httpRoute(name: ApiRouteName, logic: RouteLogic) {
  return routeHandler(name, (caller, event, context) => {
    if (caller.scope.kind !== 'agency') throw forbidden('this route reads one agency');
    return logic(caller as AgencyCaller, event, context);
  });
}

/** What serves a figures answer as CSV. Handed in by figures-route.ts, so that only the
 *  bundles of the routes that declare `csv` carry the CSV library. */
export interface CsvWriter {
  wantsCsv(format: string | undefined, accept: string | undefined): boolean;
  figuresCsv(answer: unknown): string;
}

/** The chain every route shares; a route that declares `csv` must be given the writer. */
export function routeHandler(name: ApiRouteName, logic: RouteLogic<Caller>, csvWriter?: CsvWriter) {
  const route = apiRoute(name);
  if (route.csv && !csvWriter) throw new Error(`${name} declares csv: its handler is made with scopedRoute (figures-route.ts)`);
  // Only a route that declares `csv` answers in CSV, whatever writer it was handed.
  const writer = route.csv ? csvWriter : undefined;
  const handle = async (event: ApiEvent, context: Context): Promise<ApiResult> => {
    try {
      const { event: request, csv } = writer ? negotiateFormat(event, writer) : { event, csv: false };
      const caller = authorize(route, principalOf(request), request.queryStringParameters?.region);
      // A command parses its path parameters with its body, so that one 400 names every bad field.
      if (route.kind !== 'command') checkPathParameters(request);
      const answer = await logic(caller, request, context);
      const result = csv && writer ? csvResult(route, answer, writer) : answer;
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
  return middy(handle).use(loggerContext());
}

/** Takes `?format` off the query (the route's own schema never sees it) and says whether CSV was asked for. */
function negotiateFormat(event: ApiEvent, { wantsCsv }: CsvWriter): { event: ApiEvent; csv: boolean } {
  const { format, ...rest } = event.queryStringParameters ?? {};
  if (format !== undefined && format !== 'csv' && format !== 'json')
    throw badRequest([{ field: 'format', message: 'must be csv or json' }]);
  const csv = wantsCsv(format, event.headers?.accept);
  return { event: { ...event, queryStringParameters: Object.keys(rest).length ? rest : undefined }, csv };
}

/** A successful JSON answer as CSV; refusals stay JSON, in the errors' one shape. */
function csvResult(route: ApiRoute, result: ApiResult, { figuresCsv }: CsvWriter): ApiResult {
  if (result.statusCode !== 200 || typeof result.body !== 'string') return result;
  const file = route.path.split('/').filter(Boolean).join('-');
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"` },
    body: figuresCsv(JSON.parse(result.body)),
  };
}

/** Every path parameter is an id (docs/rules.md, constraints on every event): checked once here, before any handler uses one in a key. */
function checkPathParameters(event: ApiEvent): void {
  const bad = Object.entries(event.pathParameters ?? {})
    .filter(([, value]) => !Identifier.safeParse(value).success)
    .map(([field]) => ({ field, message: '1 to 64 letters, digits, -, _ or .' }));
  if (bad.length > 0) throw badRequest(bad);
}

/** For the few routes without a token (the OpenAPI document). */
export function publicRoute(logic: (event: ApiEvent) => Promise<ApiResult>) {
  return middy(async (event: ApiEvent, _context: Context) => logic(event)).use(loggerContext());
}
