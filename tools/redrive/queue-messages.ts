// What lands in a route's SQS dead-letter queue in AWS (the event itself, or Lambda's invocation record
// around it: docs/architecture.md, when things fail), and how to get the original event back out.
import type { Message } from '@aws-sdk/client-sqs';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { EventBridgeEnvelopeSchema } from '../../shared/events/envelope';

const InvocationRecordSchema = z.object({
  version: z.string(),
  timestamp: z.string(),
  requestContext: z.object({
    requestId: z.string(),
    functionArn: z.string(),
    /** `RetriesExhausted`, `EventAgeExceeded`, … */
    condition: z.string(),
    approximateInvokeCount: z.number(),
  }),
  requestPayload: z.unknown(),
  responseContext: z.object({ statusCode: z.number(), functionError: z.string().optional() }).optional(),
  responsePayload: z.unknown().optional(),
});

const ErrorPayloadSchema = z.object({ errorType: z.string().optional(), errorMessage: z.string() });

export type BusEventEnvelope = z.infer<typeof EventBridgeEnvelopeSchema>;

export type ParsedDeadLetter =
  { ok: true; writer: 'rule-dlq' | 'lambda-on-failure'; event: BusEventEnvelope; reason: string } | { ok: false; problem: string };

export function parseDeadLetterMessage(message: Pick<Message, 'Body' | 'MessageAttributes'>): ParsedDeadLetter {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return { ok: false, problem: 'the body is not JSON' };
  }

  const record = InvocationRecordSchema.safeParse(body);
  if (record.success) {
    const event = EventBridgeEnvelopeSchema.safeParse(record.data.requestPayload);
    if (!event.success) return { ok: false, problem: 'an invocation record whose requestPayload is not an EventBridge event' };
    const error = ErrorPayloadSchema.safeParse(record.data.responsePayload);
    const { condition, approximateInvokeCount } = record.data.requestContext;
    const cause = error.success
      ? `${error.data.errorType ? `${error.data.errorType}: ` : ''}${error.data.errorMessage}`
      : 'no error message';
    return {
      ok: true,
      writer: 'lambda-on-failure',
      event: event.data,
      reason: `${condition} after ${approximateInvokeCount} attempt(s): ${cause}`,
    };
  }

  const event = EventBridgeEnvelopeSchema.safeParse(body);
  if (event.success) {
    const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
    const reason = [attribute('ERROR_CODE'), attribute('ERROR_MESSAGE')].filter(Boolean).join(': ') || 'no ERROR_CODE attribute';
    return { ok: true, writer: 'rule-dlq', event: event.data, reason };
  }
  return { ok: false, problem: 'neither an EventBridge event nor a Lambda invocation record' };
}

/** The event as it was first put on the bus, for PutEvents: same source, detail-type, detail and time.
 *  EventBridge gives it a new envelope id; projectors key on detail.eventId, so that changes nothing. */
export function putEventsEntryFor(event: BusEventEnvelope, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: event.source,
    DetailType: event['detail-type'],
    Detail: JSON.stringify(event.detail),
    Time: new Date(event.time),
    Resources: event.resources,
  };
}
