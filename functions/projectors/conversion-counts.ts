// Reads the records of state items on the projections table's stream (infra/conversion-counts.ts):
// writes the items of the events they folded (store/event-archive.ts), then keeps the agencies'
// conversion counts, each record changing the days its household's change moves
// (store/conversion-counts.ts). The local relay does the same with the same code (local/outbox-relay.ts).
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loggerContext, logger } from '../../shared/logger';
import { applyStateChanges } from '../../shared/store/conversion-counts';
import { archiveFoldedEvents } from '../../shared/store/event-archive';

// Written here rather than with Powertools' BatchProcessor, which goes on to the records after a
// failed one: a household's later version applied before an earlier would make its marker refuse the
// earlier. The records from the failed one on are retried, in order (ReportBatchItemFailures).
export const handler = middy(async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  // The events' items first, the whole batch's (putting one twice changes nothing): if that fails,
  // the batch is retried from its first record.
  await archiveFoldedEvents(event.Records);
  const { failedAt, error } = await applyStateChanges(event.Records);
  if (failedAt === -1) {
    logger.info('conversion counts kept', { records: event.Records.length });
    return { batchItemFailures: [] };
  }
  logger.error('conversion counts: a record failed; it and those after it are retried', { error, failedAt });
  return { batchItemFailures: [{ itemIdentifier: event.Records[failedAt]!.dynamodb!.SequenceNumber! }] };
}).use(loggerContext());
