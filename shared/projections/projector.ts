// The handler chain every projector shares: logger context, then the EventBridge envelope and detail
// parsed with the catalogue's schema; an ordered route's projector takes an SQS FIFO batch of them.
import middy from '@middy/core';
import * as z from 'zod';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EventBridgeEnvelopeSchema } from '../events/envelope';
import { describeIssues, detailSchemas, type DetailType, type DomainEventOf } from '../events/catalogue';
import { logger, loggerContext } from '../logger';
import { projectorEvents, type ProjectorName } from '../wiring/event-routes';
import { tenancyViolations } from '../domain/tenancy';

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

function envelopeSchema<T extends DetailType>(detailTypes: readonly T[]) {
  const [first, ...rest] = detailTypes.map((t) =>
    EventBridgeEnvelopeSchema.extend({ 'detail-type': z.literal(t), detail: detailSchemas[t] }),
  );
  if (!first) throw new Error('a projector needs at least one detail-type');
  return z.discriminatedUnion('detail-type', [first, ...rest]);
}

/** Parses an EventBridge event of one of `detailTypes`, or throws an InvalidEventError naming every bad field. */
export function eventParser<T extends DetailType>(detailTypes: readonly T[]): (raw: unknown) => DomainEventOf<T> {
  const schema = envelopeSchema(detailTypes);
  return (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const original = (typeof raw === 'object' && raw !== null ? raw : {}) as { 'detail-type'?: unknown; id?: unknown };
      throw new InvalidEventError(
        `invalid ${String(original['detail-type'] ?? 'event')} (id ${String(original.id)}): ${describeIssues(parsed.error.issues)}`,
      );
    }
    const envelope = parsed.data as { 'detail-type': T; detail: unknown; id: string };
    const event = { detailType: envelope['detail-type'], detail: envelope.detail } as DomainEventOf<T>;
    const outsideTheRegion = tenancyViolations(event);
    if (outsideTheRegion.length > 0) {
      throw new InvalidEventError(
        `refused ${event.detailType} ${event.detail.eventId} (id ${envelope.id}): ${outsideTheRegion.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      );
    }
    return event;
  };
}

const isSqsEvent = (input: unknown): input is SQSEvent =>
  typeof input === 'object' && input !== null && Array.isArray((input as { Records?: unknown }).Records);

type ProjectedBy<N extends ProjectorName> = (typeof projectorEvents)[N][number];

/** The handler of the projector `name`: it parses exactly the events its route delivers. */
export function projectorHandler<N extends ProjectorName>(name: N, project: (event: DomainEventOf<ProjectedBy<N>>) => Promise<unknown>) {
  const parse = eventParser<ProjectedBy<N>>(projectorEvents[name]);
  const projectOne = async (raw: unknown): Promise<unknown> => {
    const event = parse(raw);
    const outcome = await project(event);
    logger.info('event projected', { detailType: event.detailType, eventId: event.detail.eventId });
    return outcome ?? 'projected'; // Middy: something other than undefined
  };
  return middy(async (input: unknown, _context: Context) =>
    isSqsEvent(input) ? projectFifoBatch(input, projectOne) : projectOne(input),
  ).use(loggerContext());
}

/**
 * A FIFO batch in order. Once a record fails, the later records of its message group are not
 * attempted (they would overtake it) and are reported with it; other groups go on. Written by hand:
 * Powertools' batch utility is not among our dependencies. When nothing succeeded the first error is
 * thrown, which retries the whole batch just the same and keeps its reason (the local bus
 * dead-letters with it).
 */
async function projectFifoBatch(batch: SQSEvent, projectOne: (raw: unknown) => Promise<unknown>): Promise<SQSBatchResponse> {
  const failedGroups = new Set<string>();
  const failures: string[] = [];
  let firstError: unknown;
  for (const record of batch.Records) {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    if (failedGroups.has(group)) {
      failures.push(record.messageId);
      continue;
    }
    try {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        throw new InvalidEventError(`message ${record.messageId}: the body is not JSON`);
      }
      await projectOne(body);
    } catch (error) {
      logger.error('event not projected', { messageId: record.messageId, reason: (error as Error).message });
      firstError ??= error;
      failedGroups.add(group);
      failures.push(record.messageId);
    }
  }
  if (failures.length === batch.Records.length && firstError !== undefined) throw firstError;
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}
