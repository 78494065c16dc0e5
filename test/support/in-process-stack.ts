// The local runtime's pieces in the test process: fresh tables in the jest run's DynamoDB Local,
// the local bus (real projectors, a real dead-letter store) and the local HTTP server with its JWT
// authorizer emulation, serving the real handlers. It records every delivery the bus settles and
// every dead letter, so a test can say exactly what a request published and what was projected.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  ACKNOWLEDGEMENT_SENDER_ENV,
  EVENT_BUS_NAME_ENV,
  LOCAL_DYNAMODB_ENDPOINT_ENV,
  LOCAL_EVENTBRIDGE_ENDPOINT_ENV,
} from '../../shared/wiring/environment';
import type { ApiEvent, ApiResult } from '../../shared/api/http';
import { handlerOf, type ApiRoute } from '../../shared/wiring/http-routes';
import { EVENT_SOURCE, type DomainEvent } from '../../shared/events/catalogue';
import { DeadLetterStore, type DeadLetter } from '../../local/dead-letters/store';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';
import { startLocalEventBus, type DeliverySettled, type LocalEventBus, type RetryPolicy } from '../../local/event-bus';
import { lambdaContext, requireHandler } from '../../local/lambda-runtime';
import { startLocalHttpServer, type LocalHttpServer } from '../../local/http-server';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { projectionsTable, tableName, type TableDefinition } from '../../shared/store/tables';
import { startOutboxRelay, whenOutboxAndBusIdle, type OutboxRelay, type OutboxRelayOptions } from '../../local/outbox-relay';
import { useFreshTables } from './tables';
import { LOCAL_MAIL_FROM, localAcknowledger } from '../../local/mail';
import type { MailTransport } from '../../shared/projections/acknowledgement';

/** What a route is asked: its path parameters, query string and body (an object, or raw text). */
export interface RouteRequest {
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is instead of `body` (malformed JSON). */
  rawBody?: string;
  /** Request headers besides the token's (e.g. `accept`). */
  headers?: Record<string, string>;
  /** The loopback address the request comes from (127.0.0.2, …): another source address for the
   *  front door's limits, which go by the socket's. */
  localAddress?: string;
}

/** `body` is parsed JSON for a JSON answer, the text of a text answer (CSV, NDJSON), else the bytes. */
export interface Answer {
  status: number;
  body: any;
  contentType?: string;
  headers?: Record<string, string>;
}

function answerOf(status: number, contentType: string, bytes: Buffer, headers: Record<string, string>): Answer {
  const body =
    bytes.length === 0
      ? undefined
      : contentType === '' || contentType.includes('application/json')
        ? JSON.parse(bytes.toString('utf8'))
        : contentType.startsWith('text/') || contentType.includes('ndjson')
          ? bytes.toString('utf8')
          : bytes;
  return { status, body, contentType, headers };
}

export interface InProcessStack {
  apiUrl: string;
  /** Its DATA_DIR: the dead letters, and the acknowledgements written as .eml files under mail/. */
  dataDir: string;
  bus: LocalEventBus;
  /** The local outbox relay: what commands store reaches the bus through it, as in `npm start`. */
  outbox: OutboxRelay;
  jwtSecret: string;
  /** Resolves once the outbox is read to its end and the bus has delivered everything. */
  idle(): Promise<void>;
  /** Every bus delivery settled so far (one per event and matching rule), in order. */
  settled: DeliverySettled[];
  /** Every dead letter handed to the dead-letter store, with its reason. */
  deadLetters: Array<Omit<DeadLetter, 'id' | 'failedAt'>>;
  /** Puts events on the bus as another system would, and waits until they are projected. */
  record(...events: readonly DomainEvent[]): Promise<void>;
  /** Calls a route over HTTP, through the JWT authorizer emulation. */
  call(route: ApiRoute, request: RouteRequest, token?: string): Promise<Answer>;
  /** Invokes a route's handler directly with the event API Gateway would hand it for these claims. */
  invoke(route: ApiRoute, request: RouteRequest, claims: Record<string, string>): Promise<Answer>;
  /** Items in a table now (a Scan's count). */
  itemCount(table: TableDefinition): Promise<number>;
  stop(): Promise<void>;
}

export async function startInProcessStack(
  options: { retry?: Partial<RetryPolicy>; beforePublish?: OutboxRelayOptions['beforePublish']; mailTransport?: MailTransport } = {},
): Promise<InProcessStack> {
  const savedEnv = { ...process.env };
  await useFreshTables();
  const dataDir = mkdtempSync(join(tmpdir(), 'fostering-in-process-'));
  const store = new DeadLetterStore(dataDir);
  const settled: DeliverySettled[] = [];
  const deadLetters: InProcessStack['deadLetters'] = [];
  const bus = await startLocalEventBus({
    port: 0,
    retry: options.retry,
    deadLetters: {
      add: (letter) => {
        deadLetters.push(letter);
        return store.add(letter);
      },
    },
    onSettled: (delivery) => settled.push(delivery),
    log: () => undefined, // refusals are what these tests provoke; the records above say what happened
  });
  process.env[LOCAL_EVENTBRIDGE_ENDPOINT_ENV] = bus.url;
  process.env[EVENT_BUS_NAME_ENV] = EVENT_BUS_NAME;
  process.env[ACKNOWLEDGEMENT_SENDER_ENV] = LOCAL_MAIL_FROM;
  const jwtSecret = `test-secret-${randomUUID()}`;
  const server: LocalHttpServer = await startLocalHttpServer({ port: 0, jwtSecret, log: () => undefined });
  const dynamo = new DynamoDBClient(localDynamoDbClientConfig(process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!));
  const outbox = startOutboxRelay({
    dynamoDbEndpoint: process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!,
    tableName: () => tableName(projectionsTable),
    bus,
    busName: EVENT_BUS_NAME,
    beforePublish: options.beforePublish,
    acknowledge: localAcknowledger(dataDir, { transport: options.mailTransport }),
  });
  const idle = () => whenOutboxAndBusIdle(outbox, bus);

  return {
    apiUrl: server.url,
    dataDir,
    bus,
    outbox,
    idle,
    jwtSecret,
    settled,
    deadLetters,
    record: async (...events) => {
      for (let i = 0; i < events.length; i += 10) {
        const result = bus.putEvents({
          Entries: events.slice(i, i + 10).map((e) => ({
            EventBusName: EVENT_BUS_NAME,
            Source: EVENT_SOURCE,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          })),
        });
        if (result.FailedEntryCount > 0) throw new Error(`the bus refused: ${JSON.stringify(result.Entries)}`);
      }
      await idle();
    },
    call: async (route, request, token) => {
      const query = new URLSearchParams(request.query ?? {}).toString();
      const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
      if (request.localAddress) {
        const headers = {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...request.headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        };
        const url = `${server.url}${pathOf(route, request.path)}${query ? `?${query}` : ''}`;
        const response = await requestFrom(request.localAddress, route.method, url, headers, body);
        return answerOf(response.status, response.headers['content-type'] ?? '', response.bytes, response.headers);
      }
      const response = await fetch(`${server.url}${pathOf(route, request.path)}${query ? `?${query}` : ''}`, {
        method: route.method,
        headers: {
          ...request.headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body,
      });
      return answerOf(
        response.status,
        response.headers.get('content-type') ?? '',
        Buffer.from(await response.arrayBuffer()),
        Object.fromEntries(response.headers),
      );
    },
    invoke: async (route, request, claims) => {
      const result = (await requireHandler(handlerOf(route))(apiEvent(route, request, claims), lambdaContext(route.name))) as ApiResult;
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
      const bytes = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
      return answerOf(result.statusCode ?? 200, headers['content-type'] ?? '', bytes, headers);
    },
    itemCount: async (table) => (await dynamo.send(new ScanCommand({ TableName: tableName(table), Select: 'COUNT' }))).Count ?? 0,
    stop: async () => {
      await server.stop();
      await outbox.stop();
      await bus.stop();
      dynamo.destroy();
      rmSync(dataDir, { recursive: true, force: true });
      process.env = savedEnv;
    },
  };
}

/** One HTTP request from a given local address (fetch cannot choose it). */
function requestFrom(localAddress: string, method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string>; bytes: Buffer }>((done, fail) => {
    const outgoing = httpRequest(url, { method, headers, localAddress }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        done({
          status: response.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)])),
          bytes: Buffer.concat(chunks),
        }),
      );
      response.on('error', fail);
    });
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/** The route's path with its parameters filled in. */
export function pathOf(route: ApiRoute, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`${route.name}: no value for {${name}}`);
    return encodeURIComponent(params[name]!);
  });
}

/** The names of the route's path parameters (`/households/{householdId}` → householdId). */
export const pathParameters = (route: ApiRoute): string[] => [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1]!);

/** An HTTP API (payload 2.0) event as API Gateway hands it over after its JWT authorizer. */
function apiEvent(route: ApiRoute, request: RouteRequest, claims: Record<string, string>): ApiEvent {
  const rawPath = pathOf(route, request.path);
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...request.headers },
    ...(request.query ? { queryStringParameters: request.query } : {}),
    ...(request.path ? { pathParameters: request.path } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      // The claims of an ID token (a test of token_use passes its own).
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: { token_use: 'id', ...claims }, scopes: null } },
    },
  };
}
