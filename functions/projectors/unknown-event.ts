import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { loggerContext } from '../../shared/logger';
import { InvalidEventError } from '../../shared/projections/projector';

// Fails on purpose: the failure sends the event to the dead-letter queue with this reason.
export const handler = middy(async (event: EventBridgeEvent<string, unknown>, _context: Context) => {
  throw new InvalidEventError(`unknown detail-type "${event['detail-type']}" (id ${event.id}): no projector takes it`);
}).use(loggerContext());
