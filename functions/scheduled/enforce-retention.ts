import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { logger, loggerContext } from '../../shared/logger';
import { enforceRetention } from '../../shared/store/retention';

/** The runbook's invocation after restoring a backup older than the restore window: `{"ledgerSince": "<instant>"}`. */
const RunInput = z.object({ time: z.string().optional(), ledgerSince: z.iso.datetime().optional() });

// Judged at the schedule's own time, so a retried invocation decides exactly as the first one did.
// Stops taking new clocks with a minute of the Lambda's time left: what is left is the next run's.
// Logs counts only: which households were erased is in the erasure ledger, not in the logs.
export const handler = middy(async (event: Partial<ScheduledEvent> & { ledgerSince?: string }, context: Context) => {
  const input = RunInput.parse(event);
  const at = new Date(input.time ?? Date.now()).toISOString();
  const report = await enforceRetention({
    at,
    ledgerSince: input.ledgerSince,
    outOfTime: () => context.getRemainingTimeInMillis() < 60_000,
  });
  logger.info('retention enforced', { ...report });
  return report;
}).use(loggerContext());
