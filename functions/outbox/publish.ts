// The outbox's target in AWS (infra/outbox.ts): EventBridge Pipes hands it the stream records its
// filter kept (new items bearing the outbox marker), and it puts their events on the bus, exactly as
// the local relay does (local/outbox-relay.ts), from the same shared code.
import middy from '@middy/core';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { loggerContext, logger } from '../../shared/logger';
import { outboxEventOf } from '../../shared/store/outbox';
import { publishEvents } from '../../shared/store/publisher';
import type { DomainEvent } from '../../shared/events/catalogue';

export const handler = middy(async (records: DynamoDBRecord[], _context: Context) => {
  const events: DomainEvent[] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const entry = outboxEventOf(unmarshall(image as Record<string, AttributeValue>));
    if (!entry.publish) continue;
    // Cannot happen for what a command validated; if it does, the batch goes to the pipe's dead-letter queue with the reason.
    if ('error' in entry) throw new Error(`an outbox entry is not a valid event: ${entry.error}`);
    events.push(entry.event);
  }
  await publishEvents(events);
  logger.info('outbox events published', { count: events.length });
  return { published: events.length };
}).use(loggerContext());
