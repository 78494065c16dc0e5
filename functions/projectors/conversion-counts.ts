// Keeps each agency's conversion counts from the records of state items on the projections table's
// stream (infra/conversion-counts.ts); the local relay runs the same code (local/outbox-relay.ts).
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loggerContext, logger } from '../../shared/logger';
import { applyStateChanges } from '../../shared/store/conversion-counts';

// Written here rather than with Powertools' BatchProcessor, which goes on to the records after a
// failed one: a household's later version applied before an earlier would make its marker refuse the
// earlier. The records from the failed one on are retried, in order (ReportBatchItemFailures).
export const handler = middy(async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  const { failedAt, error } = await applyStateChanges(event.Records);
  if (failedAt === -1) {
    logger.info('conversion counts kept', { records: event.Records.length });
    return { batchItemFailures: [] };
  }
  logger.error('conversion counts: a record failed; it and those after it are retried', { error, failedAt });
  return { batchItemFailures: [{ itemIdentifier: event.Records[failedAt]!.dynamodb!.SequenceNumber! }] };
}).use(loggerContext());
