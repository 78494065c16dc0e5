// An ordered route's router (AWS only): checks the event with the route's parser, then puts it on the
// route's FIFO queue in its message group; the local bus does this job itself.
import middy from '@middy/core';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { logger, loggerContext } from '../logger';
import { eventRoutes, projectorEvents, type ProjectorName } from '../wiring/event-routes';
import { messageGroupOf } from '../wiring/message-groups';
import { ORDERED_QUEUE_URL_ENV, requiredEnvironment } from '../wiring/environment';
import { eventParser, InvalidEventError } from './projector';
import { SDK_RETRIES } from '../sdk-retries';

let sqs: SQSClient | undefined;

/** The router of the ordered route `name`: it checks exactly the events that route's projector takes. */
export function orderedRouter(name: ProjectorName) {
  const route = eventRoutes.find((r) => r.name === name);
  if (!route?.ordered) throw new Error(`${name} is not an ordered route`);
  const parse = eventParser(projectorEvents[name]);
  return middy(async (input: unknown, _context: Context) => {
    const event = parse(input);
    const group = messageGroupOf(route, input as { detail?: unknown });
    if (group === undefined)
      throw new InvalidEventError(`event ${event.detail.eventId} has no ${route.ordered?.by.join(' and ')} to order it by`);
    const queueUrl = requiredEnvironment(ORDERED_QUEUE_URL_ENV);
    sqs ??= new SQSClient(SDK_RETRIES);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(input),
        MessageGroupId: group,
        // The envelope's id: EventBridge's own retries of one delivery are put on the queue once.
        MessageDeduplicationId: (input as { id: string }).id,
      }),
    );
    logger.info('event queued in order', { detailType: event.detailType, eventId: event.detail.eventId });
    return 'queued';
  }).use(loggerContext());
}
