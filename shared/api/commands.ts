// Commands: validate at the edge, check the household's state, record the fact as an event on the
// bus, answer 202 with the eventId. `Idempotency-Key` makes a retry return the first answer and
// publish nothing new (Powertools idempotency, keyed per agency and route).
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { makeIdempotent, IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import {
  detailSchemas,
  type DetailType,
  type DomainEventOf,
  type EventDetail,
  type HouseholdDetailType,
  type HouseholdEvent,
} from '../events/catalogue';
import { checkHouseholdCommand } from '../domain/command-rules';
import { toUtcInstant } from '../domain/household';
import { getHouseholdState } from '../store/households';
import { publishEvents } from '../store/publisher';
import { idempotencyTable, tableName } from '../store/tables';
import { dynamoDbClient } from '../aws-clients';
import { badRequest, conflict, HttpError, httpRoute, json, jsonBody, parseOr400, type AgencyCaller, type ApiResult } from './http';
import type { ApiRouteName } from '../wiring/http-routes';
import { householdCommandBody, householdCommands, type HouseholdCommandName } from './request-schemas';

export interface CommandSpec<T extends DetailType, Body extends Record<string, unknown>> {
  detailType: T;
  /** Body plus path parameters; defaults to the event's own fields (SPEC §4: "each body takes the event's fields"). */
  body: z.ZodType<Body>;
  /** Turns the validated request into the event's detail fields (besides eventId, agencyId, occurredAt). */
  toDetail?: (body: Body, caller: AgencyCaller) => Record<string, unknown>;
  /** Refuses with 404/409/400 what the current state forbids. */
  check?: (detail: EventDetail<T>, caller: AgencyCaller) => Promise<void>;
  /** Work that must be done before the event is published (e.g. storing contact details apart). */
  beforePublish?: (detail: EventDetail<T>, body: Body, caller: AgencyCaller) => Promise<void>;
  /** Extra fields in the 202 answer. */
  answer?: (detail: EventDetail<T>) => Record<string, unknown>;
}

interface CommandRequest {
  agencyId: string;
  route: string;
  idempotencyKey: string;
  input: unknown;
}

export function commandRoute<T extends DetailType, Body extends Record<string, unknown>>(name: ApiRouteName, spec: CommandSpec<T, Body>) {
  const execute = async (caller: AgencyCaller, input: unknown): Promise<ApiResult> => {
    const body = parseOr400(spec.body, input);
    const fields = spec.toDetail ? spec.toDetail(body, caller) : body;
    const detail = parseOr400(detailSchemas[spec.detailType], {
      ...fields,
      eventId: randomUUID(),
      agencyId: caller.agencyId,
      occurredAt: (fields.occurredAt as string | undefined) ?? new Date().toISOString(),
    }) as EventDetail<T>;
    // Compared as UTC instants: an offset such as +14:00 must not hide a future date.
    if (toUtcInstant(detail.occurredAt) > new Date(Date.now() + 5 * 60_000).toISOString()) {
      throw badRequest([{ field: 'occurredAt', message: 'must not be in the future' }]);
    }
    await spec.check?.(detail, caller);
    await spec.beforePublish?.(detail, body, caller);
    await publishEvents([{ detailType: spec.detailType, detail } as DomainEventOf<T>]);
    return json(202, { eventId: detail.eventId, ...spec.answer?.(detail) });
  };

  // Only successful answers are remembered: a refused request may be corrected and sent again.
  // Built on first use, once the table name is in the environment.
  let executeOnce: ((request: CommandRequest, caller: AgencyCaller) => Promise<ApiResult>) | undefined;
  const idempotentExecute = () =>
    (executeOnce ??= makeIdempotent(
      async (request: CommandRequest, caller: AgencyCaller) => {
        const result = await execute(caller, request.input);
        if (result.statusCode !== 202) throw new RefusedCommand(result);
        return result;
      },
      {
        persistenceStore: new DynamoDBPersistenceLayer({ tableName: tableName(idempotencyTable), awsSdkV3Client: dynamoDbClient() }),
        config: new IdempotencyConfig({
          eventKeyJmesPath: '[agencyId, route, idempotencyKey]',
          payloadValidationJmesPath: 'input',
          expiresAfterSeconds: 24 * 60 * 60,
        }),
      },
    ));

  return httpRoute(name, async (caller, event) => {
    const input = { ...(jsonBody(event) as object), ...event.pathParameters };
    const idempotencyKey = event.headers?.['idempotency-key'];
    if (!idempotencyKey) return execute(caller, input);
    try {
      return await idempotentExecute()({ agencyId: caller.agencyId, route: name, idempotencyKey, input }, caller);
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

/** A command on one household (route table in request-schemas.ts), refused with 404/409 when the
 *  household's state forbids it. */
export function householdCommandRoute<N extends HouseholdCommandName>(
  name: N,
  checkFields?: (detail: EventDetail<(typeof householdCommands)[N]['detailType']>) => void,
) {
  const command: { detailType: HouseholdDetailType; generatedId?: 'holdId' | 'placementId' } = householdCommands[name];
  const { detailType, generatedId } = command;
  return commandRoute(name, {
    detailType,
    body: householdCommandBody(name) as unknown as z.ZodType<Record<string, unknown>>,
    toDetail: generatedId ? (body) => ({ ...body, [generatedId]: body[generatedId] ?? randomUUID() }) : undefined,
    check: async (detail) => {
      checkFields?.(detail as never);
      const state = await getHouseholdState(detail.agencyId, detail.householdId);
      const verdict = checkHouseholdCommand(state, { detailType, detail } as HouseholdEvent);
      if (!verdict.allowed) throw new HttpError(verdict.status, verdict.code, verdict.message);
    },
    answer: generatedId ? (detail) => ({ [generatedId]: (detail as unknown as Record<string, unknown>)[generatedId] }) : undefined,
  });
}
