import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger, loggerContext } from '../../shared/logger';
import { retentionDaysFrom } from '../../shared/domain/retention';
import { RETENTION_DAYS_ENV } from '../../shared/wiring/environment';
import { enforceRetention } from '../../shared/store/retention';

// Judged at the schedule's own time, so a retried invocation decides exactly as the first one did.
// Logs counts only: which households were erased is not kept anywhere.
export const handler = middy(async (event: Partial<ScheduledEvent>, _context: Context) => {
  const at = new Date(event.time ?? Date.now()).toISOString();
  const report = await enforceRetention({ at, retentionDays: retentionDaysFrom(process.env[RETENTION_DAYS_ENV]) });
  logger.info('retention enforced', { ...report });
  return report;
}).use(loggerContext());
