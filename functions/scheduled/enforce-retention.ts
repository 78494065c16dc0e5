import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { logger, loggerContext } from '../../shared/logger';
import { enforceRetention, writeMissingClocks } from '../../shared/store/retention';

/** Besides the schedule's own event, what the runbook may invoke it with: `{"ledgerSince": "<instant>"}` after
 *  restoring a backup older than the restore window; `{"writeClocks": true}` (then `resumeFrom` as the
 *  answer gives it, until it gives none) once, for records stored before the clocks existed. */
const RunInput = z.object({
  time: z.string().optional(),
  ledgerSince: z.iso.datetime().optional(),
  writeClocks: z.literal(true).optional(),
  resumeFrom: z.object({ table: z.enum(['projections', 'contacts']), key: z.record(z.string(), z.unknown()) }).optional(),
});

// Judged at the schedule's own time, so a retried invocation decides exactly as the first one did.
// Stops taking new clocks with a minute of the Lambda's time left: what is left is the next run's.
// Logs counts only: which households were erased is in the erasure ledger, not in the logs.
export const handler = middy(async (event: Partial<ScheduledEvent> & Record<string, unknown>, context: Context) => {
  const input = RunInput.parse(event);
  const outOfTime = () => context.getRemainingTimeInMillis() < 60_000;
  if (input.writeClocks) {
    const backfill = await writeMissingClocks({ outOfTime, resumeFrom: input.resumeFrom });
    logger.info('retention clocks written', { read: backfill.read, written: backfill.written, more: backfill.resumeFrom !== undefined });
    return backfill;
  }
  const at = new Date(input.time ?? Date.now()).toISOString();
  const report = await enforceRetention({ at, ledgerSince: input.ledgerSince, outOfTime });
  logger.info('retention enforced', { ...report });
  return report;
}).use(loggerContext());
