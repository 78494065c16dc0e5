// The handler chain every projector shares: logger context, then the EventBridge envelope and the
// event's detail parsed with the catalogue's schema (Powertools parser). An invalid event throws
// with every bad field named, so it reaches the dead-letter queue with its reason.
import middy from '@middy/core';
import * as z from 'zod';
import type { Context } from 'aws-lambda';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { EventBridgeEnvelopeSchema } from '../events/envelope';
import { describeIssues, detailSchemas, type DetailType, type DomainEventOf } from '../events/catalogue';
import { logger, loggerContext } from '../logger';
import { projectorEvents, type ProjectorName } from '../wiring/event-routes';

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

function envelopeSchema<T extends DetailType>(detailTypes: readonly T[]) {
  const [first, ...rest] = detailTypes.map((t) =>
    EventBridgeEnvelopeSchema.extend({ 'detail-type': z.literal(t), detail: detailSchemas[t] }));
  if (!first) throw new Error('a projector needs at least one detail-type');
  return z.discriminatedUnion('detail-type', [first, ...rest]);
}

type ProjectedBy<N extends ProjectorName> = (typeof projectorEvents)[N][number];

/** The handler of the projector `name`: it parses exactly the events its route delivers. */
export function projectorHandler<N extends ProjectorName>(
  name: N,
  project: (event: DomainEventOf<ProjectedBy<N>>) => Promise<unknown>,
) {
  type T = ProjectedBy<N>;
  const detailTypes: readonly T[] = projectorEvents[name];
  const schema = envelopeSchema(detailTypes);
  return middy(async (parsed: z.ZodSafeParseResult<z.infer<typeof schema>> & { originalEvent?: unknown }, _context: Context) => {
    if (!parsed.success) {
      const original = parsed.originalEvent as { 'detail-type'?: unknown; id?: unknown } | undefined;
      // Powertools hands over its own ParseError, with zod's issues as the cause (it has no `issues`).
      const issues = (parsed.error as Error).cause;
      const why = Array.isArray(issues) ? describeIssues(issues as z.core.$ZodIssue[]) : (parsed.error as Error).message;
      throw new InvalidEventError(`invalid ${String(original?.['detail-type'] ?? 'event')} (id ${String(original?.id)}): ${why}`);
    }
    const envelope = parsed.data as { 'detail-type': T; detail: unknown };
    const event = { detailType: envelope['detail-type'], detail: envelope.detail } as DomainEventOf<T>;
    const outcome = await project(event);
    logger.info('event projected', { detailType: event.detailType, eventId: event.detail.eventId });
    return outcome ?? 'projected'; // Middy: something other than undefined
  })
    .use(loggerContext())
    .use(parser({ schema, safeParse: true }) as never);
}
