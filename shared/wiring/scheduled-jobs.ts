// Jobs that run on a clock rather than on an event, declared once: the CDK stack makes one scheduled
// EventBridge rule and one Lambda per job, and the local runtime (`npm start`) runs the same handler
// at start and then every local interval.
import type { ResourceAccess } from './event-routes';

export interface ScheduledJob {
  /** Stable name, used for the rule, the function and the dead-letter queue. */
  name: string;
  /** Handler entry under functions/, without extension; it exports `handler`. */
  handler: string;
  description: string;
  /** An EventBridge schedule expression (UTC). */
  schedule: string;
  timeoutSeconds: number;
  /** What the handler touches: the stack grants exactly this and sets the matching env vars. */
  access: ResourceAccess;
  /** Locally: the env var giving the interval in ms, and its default. */
  localInterval: { env: string; defaultMs: number };
}

export const retentionJob: ScheduledJob = {
  name: 'RetentionEnforcer',
  handler: 'scheduled/enforce-retention',
  description: 'Erases contact details past the retention period (RETENTION_DAYS after closure or resignation)',
  schedule: 'cron(30 2 * * ? *)', // daily at 02:30 UTC, out of office hours
  timeoutSeconds: 300,
  // Deletes contact details; reads household states to judge them. Never writes a metric's records.
  access: { contacts: 'readWrite', projections: 'read', scans: ['contacts'] },
  localInterval: { env: 'RETENTION_INTERVAL_MS', defaultMs: 6 * 60 * 60 * 1000 },
};

export const scheduledJobs: readonly ScheduledJob[] = [retentionJob];
