// One scheduled EventBridge rule and one Lambda per entry of `scheduledJobs` (shared/wiring/scheduled-jobs.ts),
// with the same failure handling as the event routes: a retry policy and a dead-letter queue on the
// rule's target, and the function's own failures sent to that queue too (alarmed in alarms.ts).
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduledJobs, type ScheduledJob } from '../shared/wiring/scheduled-jobs';
import { deadLetteredTarget, deadLetterQueue, failuresTo } from './dead-lettered-target';
import { FosteringFunction, grantAccess, type FosteringResources } from './fostering-function';

/** `-c retentionDays=N` set one period for every household before the periods were agency settings:
 *  the stack now refuses it rather than deploy with a period nobody applies. */
export const RETIRED_RETENTION_DAYS_CONTEXT_KEY = 'retentionDays';

export interface FosteringScheduledJobsProps {
  resources: FosteringResources;
  /** Deployment configuration every job is told. */
  environment?: Record<string, string>;
}

export class FosteringScheduledJobs extends Construct {
  /** Keyed by the job's name. */
  readonly functions = new Map<string, FosteringFunction>();
  readonly rules = new Map<string, Rule>();
  readonly deadLetterQueues = new Map<string, Queue>();

  constructor(scope: Construct, id: string, { resources, environment }: FosteringScheduledJobsProps) {
    super(scope, id);
    for (const job of scheduledJobs) this.addJob(job, resources, environment);
  }

  private addJob(job: ScheduledJob, resources: FosteringResources, environment: Record<string, string> = {}): void {
    const deadLetters = deadLetterQueue(this, `${job.name}DeadLetters`);
    const fn = new FosteringFunction(this, job.name, {
      handlerEntry: job.handler,
      description: job.description,
      timeout: Duration.seconds(job.timeoutSeconds),
      environment,
      ...failuresTo(deadLetters),
    });
    grantAccess(fn, job.access, resources);
    const rule = new Rule(this, `${job.name}Schedule`, {
      description: job.description,
      schedule: Schedule.expression(job.schedule),
      // A run missed for longer than 12 hours is superseded by the next day's.
      targets: [deadLetteredTarget(fn, deadLetters, Duration.hours(12))],
    });
    this.functions.set(job.name, fn);
    this.rules.set(job.name, rule);
    this.deadLetterQueues.set(job.name, deadLetters);
  }
}
