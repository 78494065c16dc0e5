// The local HTTP API: serves apiRoutes (shared/wiring/http-routes.ts) with the events API Gateway's HTTP API
// sends (payload format 2.0), emulating its JWT authorizer, so the same handlers run unchanged.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
} from 'aws-lambda';
import { apiRoutes, handlerOf, type ApiRoute } from '../shared/wiring/http-routes';
import type { DeadLetterStore } from './dead-letters/store';
import type { RedriveReport } from './dead-letters/redrive';
import { type LocalEventBus } from './event-bus';
import { lambdaContext, LOCAL_ACCOUNT, requireHandler, type HandlerLoader } from './lambda-runtime';
import { BodyTooLargeError, close, listen, readBody } from './http-helpers';
import { localJwtSecret, verifyLocalToken } from './tokens';
import { localSettings } from './settings';
import { dashboardFile, LOCAL_TOKEN_PATH, localSignIn } from './dashboard-site';
import { OPENAPI_PATH, openApiDocument } from '../shared/api/openapi';

export type LocalApiEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: APIGatewayEventRequestContextJWTAuthorizer }
>;

export interface HttpServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  routes?: readonly ApiRoute[];
  loadHandler?: HandlerLoader;
  jwtSecret?: string;
  /** True once DynamoDB Local and the bus are ready: `GET /health` answers 200 only then. */
  ready?: () => boolean | Promise<boolean>;
  /** For `GET /_local/idle` (the outbox read to its end and the bus idle) and `GET /_local/events?eventId=`. */
  bus?: {
    whenIdle(): Promise<void>;
    /** The bus alone, for `GET /_local/idle?only=bus` (the outbox cannot be read while DynamoDB Local is down). */
    whenBusIdle?(): Promise<void>;
    counts(): unknown;
    acceptedWithEventId?: LocalEventBus['acceptedWithEventId'];
  };
  /** For `GET /_local/dead-letters`. */
  deadLetters?: Pick<DeadLetterStore, 'list'>;
  /** For `POST /_local/dead-letters/redrive` (`npm run redrive`). */
  redrive?: () => Promise<RedriveReport>;
  /** The built dashboard, served at `/` on paths no API route claims; also enables `POST /_local/token`. */
  dashboardDir?: string;
  handlerTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface LocalHttpServer {
  url: string;
  port: number;
  /** Resolves once no request is being handled (each answer in flight has been written to its socket). */
  whenAnswered(): Promise<void>;
  stop(): Promise<void>;
}

interface Reply {
  statusCode: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

const MAX_BODY_BYTES = 6 * 1024 * 1024; // Lambda's synchronous payload limit

export async function startLocalHttpServer(options: HttpServerOptions = {}): Promise<LocalHttpServer> {
  const serve = requestHandler(options);
  let inFlight = 0;
  const whenNoneInFlight: Array<() => void> = [];
  const server = createServer((request, response) => {
    inFlight += 1;
    let settled = false;
    // 'finish': the answer has been handed to the operating system, so it reaches the caller even if this process dies.
    const settle = () => {
      if (settled) return;
      settled = true;
      inFlight -= 1;
      if (inFlight === 0) for (const resolve of whenNoneInFlight.splice(0)) resolve();
    };
    response.once('finish', settle);
    response.once('close', settle);
    void serve(request, response);
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host, localSettings.port.env);
  return {
    url: `http://${host}:${port}`,
    port,
    whenAnswered: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => whenNoneInFlight.push(resolve))),
    stop: () => close(server),
  };
}

function requestHandler(options: HttpServerOptions) {
  const routes = (options.routes ?? apiRoutes).map(compile);
  const loadHandler = options.loadHandler ?? requireHandler;
  const ready = options.ready ?? (() => true);
  const secret = options.jwtSecret ?? localJwtSecret();
  const log = options.log ?? ((line: string) => console.log(line));
  let openApiDocumentBuilt: unknown;
  const openApi = () => (openApiDocumentBuilt ??= openApiDocument());

  async function reply(request: IncomingMessage, requestId: string): Promise<{ reply: Reply; label: string }> {
    const [rawPath = '/', rawQueryString = ''] = (request.url ?? '/').split(/\?(.*)/s);
    const method = request.method ?? 'GET';

    // The API's description: a static document (in AWS a file beside the dashboard), no handler.
    if (rawPath === OPENAPI_PATH && method === 'GET') return { reply: json(200, openApi()), label: `GET ${OPENAPI_PATH}` };
    if (rawPath === '/health' && method === 'GET') {
      return (await ready())
        ? { reply: json(200, { status: 'ok' }), label: 'GET /health' }
        : { reply: json(503, { status: 'starting' }), label: 'GET /health' };
    }
    const local = await localHelper(request, method, rawPath, rawQueryString);
    if (local) return { reply: local, label: `${method} ${rawPath}` };
    if (!(await ready())) return { reply: error(503, 'unavailable', 'the local stack is still starting'), label: `${method} ${rawPath}` };

    const matches = routes.filter((compiled) => compiled.pattern.test(rawPath));
    if (matches.length === 0) {
      const file = method === 'GET' && options.dashboardDir ? dashboardFile(options.dashboardDir, rawPath) : undefined;
      if (file) return { reply: file, label: 'GET (dashboard)' };
      return { reply: error(404, 'not_found', 'no such route'), label: `${method} (unknown path)` };
    }
    const [compiled] = matches.filter((m) => m.route.method === method).sort((a, b) => b.literals - a.literals);
    if (!compiled) {
      const allow = [...new Set(matches.map((m) => m.route.method))].join(', ');
      const refusal = error(405, 'method_not_allowed', `${method} is not allowed here; allowed: ${allow}`);
      return { reply: { ...refusal, headers: { ...refusal.headers, allow } }, label: `${method} ${matches[0]?.route.path}` };
    }
    const { route } = compiled;
    const routeKey = `${route.method} ${route.path}`;

    let authorizer: APIGatewayEventRequestContextJWTAuthorizer | undefined;
    if (route.allowedRoles.length > 0) {
      const verdict = await authorize(request.headers.authorization, secret);
      if ('denied' in verdict) {
        const refusal = error(401, 'unauthorized', verdict.denied);
        const challenge = `Bearer error="invalid_token" error_description="${verdict.denied}"`;
        return { reply: { ...refusal, headers: { ...refusal.headers, 'www-authenticate': challenge } }, label: routeKey };
      }
      authorizer = verdict.authorizer;
    }

    let body: string;
    try {
      body = await readBody(request, MAX_BODY_BYTES);
    } catch (failure) {
      if (failure instanceof BodyTooLargeError) return { reply: error(413, 'payload_too_large', failure.message), label: routeKey };
      throw failure;
    }

    const parts = { rawPath, rawQueryString, routeKey, requestId, body, authorizer, compiled };
    // The front door's routes are a REST API's in AWS (infra/front-door.ts): their handlers get its event.
    const event = route.gateway === 'front-door' ? restApiEvent(request, parts) : apiEvent(request, parts);
    try {
      const handler = await loadHandler(handlerOf(route));
      const result = await handler(event, lambdaContext(route.name, options.handlerTimeoutMs));
      return { reply: lambdaReply(result), label: routeKey };
    } catch (failure) {
      // What API Gateway answers when the integration fails; the cause goes to the log, not the client.
      log(`[api] ${route.name} threw: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`);
      return { reply: json(500, { message: 'Internal Server Error' }), label: routeKey };
    }
  }

  async function localHelper(request: IncomingMessage, method: string, rawPath: string, rawQuery: string): Promise<Reply | undefined> {
    if (rawPath.startsWith('/_local/')) {
      const refusal = refuseUnlessThisMachine(request);
      if (refusal) return refusal;
    }
    // Local sign-in for the dashboard: signs a token as `npm run token` does. Never deployed.
    if (method === 'POST' && rawPath === LOCAL_TOKEN_PATH && options.dashboardDir)
      return localSignIn(await readBody(request, 64 * 1024), secret);
    if (method === 'POST' && rawPath === '/_local/dead-letters/redrive' && options.redrive) return json(200, await options.redrive());
    if (method !== 'GET') return undefined;
    if (rawPath === '/_local/events' && options.bus?.acceptedWithEventId) {
      const eventId = new URLSearchParams(rawQuery).get('eventId') ?? '';
      return json(200, { events: options.bus.acceptedWithEventId(eventId) });
    }
    if (rawPath === '/_local/idle' && options.bus) {
      const busOnly = new URLSearchParams(rawQuery).get('only') === 'bus' && options.bus.whenBusIdle;
      await (busOnly ? options.bus.whenBusIdle!() : options.bus.whenIdle());
      return json(200, { status: 'idle', counts: options.bus.counts() });
    }
    if (rawPath === '/_local/dead-letters' && options.deadLetters) {
      return json(200, { deadLetters: await options.deadLetters.list() });
    }
    return undefined;
  }

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = Date.now();
    const requestId = randomUUID();
    let outcome: { reply: Reply; label: string };
    try {
      outcome = await reply(request, requestId);
    } catch (failure) {
      log(`[api] request failed: ${failure instanceof Error ? failure.message : String(failure)}`);
      outcome = { reply: json(500, { message: 'Internal Server Error' }), label: request.method ?? '' };
    }
    const { statusCode, headers = {}, body } = outcome.reply;
    response.writeHead(statusCode, { ...headers, 'apigw-requestid': requestId });
    response.end(body);
    // The route template, never the body, the query or the Authorization header: no personal data or tokens.
    // Health checks are polled, so they stay out of the log.
    if (outcome.label !== 'GET /health') log(`[api] ${outcome.label} ${statusCode} ${Date.now() - started}ms`);
  };
}

/** `127.0.0.1`, `localhost` or `[::1]`, with a port: a page of another site cannot name these as its own host. */
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

/**
 * The local helpers (a token for any role, the dead letters, redrive) are for this machine alone:
 * only a loopback `Host` (no DNS-rebound name), no cross-site `Origin`, and a body only as JSON, which
 * no HTML form can send, so a web page the developer visits cannot drive them.
 */
function refuseUnlessThisMachine(request: IncomingMessage): Reply | undefined {
  const host = request.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host))
    return error(403, 'forbidden', '/_local/* answers only requests to the loopback address (Host: 127.0.0.1)');
  const origin = request.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
    return error(403, 'forbidden', '/_local/* refuses requests from another site');
  }
  const type = request.headers['content-type'];
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if ((type !== undefined || hasBody) && !/^application\/json\s*(;|$)/i.test(type ?? '')) {
    return error(415, 'unsupported_media_type', '/_local/* takes JSON bodies only (content-type: application/json)');
  }
  return undefined;
}

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  params: string[];
  literals: number;
}

/** `/households/{householdId}/approval` → a regex with one group per `{param}` (`{param+}` is greedy). */
function compile(route: ApiRoute): CompiledRoute {
  const params: string[] = [];
  const segments = route.path.split('/').map((segment) => {
    const param = /^\{(\w+)(\+?)\}$/.exec(segment);
    if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    params.push(param[1] as string);
    return param[2] ? '(.+)' : '([^/]+)';
  });
  // API Gateway prefers the most specific route: more literal segments win.
  return { route, pattern: new RegExp(`^${segments.join('/')}$`), params, literals: segments.length - params.length };
}

type Verdict = { authorizer: APIGatewayEventRequestContextJWTAuthorizer } | { denied: string };

async function authorize(header: string | undefined, secret: string): Promise<Verdict> {
  const token = header?.trim().replace(/^Bearer\s+/i, '');
  if (!token) return { denied: 'missing bearer token' };
  try {
    const claims = await verifyLocalToken(token, secret);
    return {
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, flattenClaim(value)])),
          scopes: typeof claims.scope === 'string' ? claims.scope.split(' ') : null,
        },
      },
    };
  } catch (failure) {
    const { code, claim } = failure as { code?: string; claim?: string };
    if (code === 'ERR_JWT_EXPIRED') return { denied: 'the token has expired' };
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return { denied: `the token's ${claim ?? ''} claim is not valid` };
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { denied: 'the token signature is not valid' };
    return { denied: 'the token is not valid' };
  }
}

/** As the HTTP API JWT authorizer hands claims over: every value a string, arrays as `[a b]`. */
function flattenClaim(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flattenClaim).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function apiEvent(
  request: IncomingMessage,
  parts: {
    rawPath: string;
    rawQueryString: string;
    routeKey: string;
    requestId: string;
    body: string;
    authorizer: APIGatewayEventRequestContextJWTAuthorizer | undefined;
    compiled: CompiledRoute;
  },
): LocalApiEvent {
  const { rawPath, rawQueryString, routeKey, requestId, body, authorizer, compiled } = parts;
  // Repeated headers and query parameters arrive comma-joined, as in payload format 2.0.
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
  );
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) query[name] = name in query ? `${query[name]},${value}` : value;
  const values = compiled.pattern.exec(rawPath)?.slice(1) ?? [];
  const pathParameters = Object.fromEntries(compiled.params.map((name, i) => [name, decode(values[i] ?? '')]));
  const now = new Date();
  const domainName = headers.host ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(compiled.params.length > 0 ? { pathParameters } : {}),
    ...(body !== '' ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
      ...(authorizer ? { authorizer } : {}),
    },
  };
}

/** A REST API's Lambda proxy event (payload format 1.0), as the front door's API hands it over: the
 *  caller's address is the socket's, whatever X-Forwarded-For says. */
function restApiEvent(request: IncomingMessage, parts: Parameters<typeof apiEvent>[1]) {
  const v2 = apiEvent(request, parts);
  const multi = (entries: Array<[string, string]>) => {
    const grouped: Record<string, string[]> = {};
    for (const [name, value] of entries) (grouped[name] ??= []).push(value);
    return grouped;
  };
  const rawHeaders: Array<[string, string]> = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) rawHeaders.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
  const query = [...new URLSearchParams(parts.rawQueryString)];
  const now = new Date();
  return {
    resource: parts.compiled.route.path,
    path: parts.rawPath,
    httpMethod: request.method ?? 'GET',
    // The last value of a repeated header or parameter, as the REST API gives it; every value under multiValue*.
    headers: Object.fromEntries(rawHeaders),
    multiValueHeaders: multi(rawHeaders),
    queryStringParameters: query.length > 0 ? Object.fromEntries(query) : null,
    multiValueQueryStringParameters: query.length > 0 ? multi(query) : null,
    pathParameters: v2.pathParameters ?? null,
    stageVariables: null,
    body: parts.body === '' ? null : parts.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local-front-door',
      resourcePath: parts.compiled.route.path,
      httpMethod: request.method ?? 'GET',
      path: parts.rawPath,
      protocol: `HTTP/${request.httpVersion}`,
      stage: 'local',
      requestId: parts.requestId,
      requestTimeEpoch: now.getTime(),
      identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: request.headers['user-agent'] ?? null },
    },
  };
}

/** What the handler returned, read as API Gateway reads payload format 2.0 responses. */
function lambdaReply(result: unknown): Reply {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const {
      statusCode,
      headers = {},
      body,
      isBase64Encoded,
      cookies,
    } = result as {
      statusCode: number;
      headers?: Record<string, unknown>;
      body?: string;
      isBase64Encoded?: boolean;
      cookies?: string[];
    };
    const out: Record<string, string | string[]> = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    if (cookies?.length) out['set-cookie'] = cookies;
    return { statusCode, headers: out, body: body === undefined ? undefined : isBase64Encoded ? Buffer.from(body, 'base64') : body };
  }
  // No statusCode: API Gateway assumes 200 and sends the result as JSON.
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
}

function json(statusCode: number, value: unknown): Reply {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function error(statusCode: number, code: string, message: string): Reply {
  return json(statusCode, { error: { code, message } });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time format: `12/Mar/2020:19:03:58 +0000`. */
function requestTime(date: Date): string {
  const month = MONTHS[date.getUTCMonth()] ?? '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
