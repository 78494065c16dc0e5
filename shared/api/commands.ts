// Commands: validate at the edge, then record the fact. A command answers 202 only once its event is
// stored, with every rule checked against what is stored inside the same conditional write; the
// stored event reaches the bus through the outbox (store/outbox.ts), never from here. `Idempotency-Key`
// makes a retry return the first answer and store nothing new (Powertools idempotency, keyed by the
// agency, the caller and the route).
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  domainEvent,
  fieldErrors,
  safeParseDetail,
  type DetailType,
  type DomainEvent,
  type DomainEventOf,
  type EventDetail,
  type HouseholdEvent,
} from '../events/catalogue';
import { checkHouseholdCommand, type CommandVerdict } from '../domain/command-rules';
import { tenancyViolations } from '../domain/tenancy';
import { appendHouseholdEvent, type AppendOptions } from '../store/households';
import { ConcurrentChangeError } from '../store/retry';
import { rememberStaffName } from '../store/staff';
import { logger } from '../logger';
import { idempotencyTable, tableName } from '../store/tables';
import { dynamoDbClient } from '../aws-clients';
import { badRequest, conflict, HttpError, httpRoute, json, jsonBody, parseOr400, type AgencyCaller, type ApiResult } from './http';
import type { ApiRouteName } from '../wiring/http-routes';
import { householdCommandBody, householdCommands, type HouseholdCommand, type HouseholdCommandName } from './request-schemas';

export interface CommandSpec<T extends DetailType, Body extends Record<string, unknown>> {
  detailType: T;
  /** Body plus path parameters; defaults to the event's own fields (each body takes the event's fields: docs/api.md). */
  body: z.ZodType<Body>;
  /** Turns the validated request into the event's detail fields (besides eventId, agencyId, recordedBy). */
  toDetail?: (body: Body, caller: AgencyCaller) => Record<string, unknown>;
  /** Refuses with 400 what the request itself gets wrong (reads nothing that a concurrent command changes). */
  validate?: (detail: EventDetail<T>, caller: AgencyCaller) => void | Promise<void>;
  /** Stores the event, checking every rule on the stored state inside the same conditional write;
   *  throws an HttpError (404, 409) when a rule refuses it. Returns the detail as stored when it adds to
   *  it (an enquiry's reference), for the answer. */
  record: (event: DomainEventOf<T>, body: Body, caller: AgencyCaller) => Promise<void | EventDetail<T>>;
  /** Extra fields in the 202 answer. */
  answer?: (detail: EventDetail<T>) => Record<string, unknown>;
}

/** What the idempotency key and payload hash are taken from: the caller and the validated input. */
interface CommandRequest {
  agencyId: string;
  recordedBy: string;
  route: string;
  idempotencyKey: string;
  input: Record<string, unknown>;
}

export function commandRoute<T extends DetailType, Body extends Record<string, unknown>>(name: ApiRouteName, spec: CommandSpec<T, Body>) {
  const execute = async (caller: AgencyCaller, body: Body): Promise<ApiResult> => {
    const fields = spec.toDetail ? spec.toDetail(body, caller) : body;
    const parsed = safeParseDetail(spec.detailType, {
      ...fields,
      eventId: randomUUID(),
      agencyId: caller.agencyId,
      occurredAt: typeof fields.occurredAt === 'string' ? fields.occurredAt : new Date().toISOString(),
      ...(caller.subject ? { recordedBy: caller.subject } : {}),
    });
    // The catalogue's EventInstant refuses a future occurredAt, compared as a UTC instant.
    if (!parsed.success) throw badRequest(fieldErrors(parsed.issues));
    const detail = parsed.data;
    const event = domainEvent(spec.detailType, detail);
    // The same rule the projectors apply to events from the bus (shared/domain/tenancy.ts).
    const outsideTheRegion = tenancyViolations(event as DomainEvent);
    if (outsideTheRegion.length > 0) throw badRequest(outsideTheRegion);
    await spec.validate?.(detail, caller);
    const stored = (await spec.record(event, body, caller)) ?? detail;
    if (caller.subject && caller.name) await rememberStaff(caller.agencyId, caller.subject, caller.name);
    return json(202, { eventId: detail.eventId, ...spec.answer?.(stored) });
  };

  // Only successful answers are remembered: a refused request may be corrected and sent again.
  // Built on first use, once the table name is in the environment.
  let idempotent: { config: IdempotencyConfig; run: (request: CommandRequest, caller: AgencyCaller) => Promise<ApiResult> } | undefined;
  const idempotentExecute = () => {
    if (idempotent) return idempotent;
    const config = new IdempotencyConfig({
      eventKeyJmesPath: '[agencyId, recordedBy, route, idempotencyKey]',
      // Powertools hashes the validated input: the same key with another request is a 409.
      payloadValidationJmesPath: 'input',
      expiresAfterSeconds: 24 * 60 * 60,
    });
    const run = makeIdempotent(
      async (request: CommandRequest, caller: AgencyCaller) => {
        // The validated input is a plain JSON object; the key only selects it.
        const result = await execute(caller, request.input as Body);
        if (result.statusCode !== 202) throw new RefusedCommand(result);
        return result;
      },
      {
        persistenceStore: new DynamoDBPersistenceLayer({ tableName: tableName(idempotencyTable), awsSdkV3Client: dynamoDbClient() }),
        config,
      },
    );
    return (idempotent = { config, run });
  };

  return httpRoute(name, async (caller, event, context: Context) => {
    // Malformed input is a 400 before any idempotency work.
    const body = parseOr400(spec.body, { ...(jsonBody(event) as object), ...event.pathParameters });
    const idempotencyKey = event.headers?.['idempotency-key'];
    if (!idempotencyKey) return execute(caller, body);
    const { config, run } = idempotentExecute();
    // So that a request interrupted by the timeout frees its key once the function's time is up.
    config.registerLambdaContext(context);
    try {
      return await run({ agencyId: caller.agencyId, recordedBy: caller.subject ?? '', route: name, idempotencyKey, input: body }, caller);
    } catch (error) {
      if (error instanceof RefusedCommand) return error.result;
      if (error instanceof IdempotencyValidationError)
        throw conflict('idempotency_key_reused', 'this Idempotency-Key was used with a different request');
      if (error instanceof IdempotencyAlreadyInProgressError)
        throw conflict('request_in_progress', 'a request with this Idempotency-Key is still being handled');
      throw unwrap(error);
    }
  });
}

/** Who recorded it, by name, for the timelines: the fact is stored already, so a failure here only logs. */
async function rememberStaff(agencyId: string, subject: string, name: string): Promise<void> {
  try {
    await rememberStaffName(agencyId, subject, name);
  } catch (error) {
    logger.warn('staff directory not updated', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

class RefusedCommand extends Error {
  constructor(readonly result: ApiResult) {
    super('refused');
  }
}

/** Powertools wraps errors thrown inside the idempotent function; HttpErrors keep their meaning. */
function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && !(current instanceof HttpError) && current.cause) current = current.cause;
  return current instanceof HttpError ? current : error;
}

/**
 * Records a command's event on an existing household: the rules checked on the household as stored,
 * inside the append's conditional write (store/households.ts appendHouseholdEvent), so of concurrent
 * commands only those the rules allow are stored; one that keeps meeting concurrent changes is a 409.
 */
export async function recordHouseholdEvent(event: HouseholdEvent, options: HouseholdCommandOptions = {}): Promise<void> {
  await append(event, { ...options, decide: (stored, events) => refuse(checkHouseholdCommand(stored, event, events)) });
}

/** Records the first event of a new household (an enquiry), with whatever must be stored beside it. */
export async function recordNewHousehold(event: DomainEventOf<'EnquiryReceived'>, options: HouseholdCommandOptions = {}): Promise<void> {
  const { householdId } = event.detail;
  // The id was just drawn at random: a clash is as good as impossible, and refused rather than merged.
  const decide = (stored: unknown) => {
    if (stored) throw conflict('household_exists', `household ${householdId} already exists: send the enquiry again`);
  };
  await append(event, { ...options, decide });
}

function append(event: HouseholdEvent, options: AppendOptions): Promise<unknown> {
  return orConcurrentChange(appendHouseholdEvent(event, { ...options, publish: true }));
}

/** What kept changing under a command (store/retry.ts) is a 409 the caller can send again. */
export async function orConcurrentChange<T>(recording: Promise<T>): Promise<T> {
  try {
    return await recording;
  } catch (error) {
    if (error instanceof ConcurrentChangeError)
      throw conflict('concurrent_change', `${error.subject} kept changing while this was recorded: send it again`);
    throw error;
  }
}

export type HouseholdCommandOptions = Pick<AppendOptions, 'alongside' | 'idDrawn'>;

function refuse(verdict: CommandVerdict): void {
  if (!verdict.allowed) throw new HttpError(verdict.status, verdict.code, verdict.message);
}

/** A command on one household (route table in request-schemas.ts), refused with 404/409 when the
 *  household as stored forbids it. `validate` adds the request's own 400s; `alongside` gives what is
 *  stored in the same transaction (fields kept apart from the event, such as a risk flag's note). */
export function householdCommandRoute(
  name: HouseholdCommandName,
  validate?: (event: HouseholdEvent) => void,
  options: { alongside?: (event: HouseholdEvent, body: Record<string, unknown>) => AppendOptions['alongside'] } = {},
) {
  const command: HouseholdCommand = householdCommands[name];
  const { detailType, generatedId } = command;
  const keptApart = Object.keys(command.keptApart ?? {});
  return commandRoute(name, {
    detailType,
    body: householdCommandBody(name),
    // Fields kept apart (free text) never reach the event.
    toDetail: (body) => {
      const fields = Object.fromEntries(Object.entries(body).filter(([key]) => !keptApart.includes(key)));
      return generatedId ? { ...fields, [generatedId]: body[generatedId] ?? randomUUID() } : fields;
    },
    validate: validate ? (detail) => validate(domainEvent(detailType, detail)) : undefined,
    record: (event, body) =>
      recordHouseholdEvent(event, {
        alongside: options.alongside?.(event, body),
        idDrawn: generatedId !== undefined && body[generatedId] === undefined,
      }),
    answer: generatedId
      ? (detail) => {
          const fields: Record<string, unknown> = { ...detail };
          return { [generatedId]: fields[generatedId] };
        }
      : undefined,
  });
}
