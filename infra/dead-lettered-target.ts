// What every rule target of the stack shares, event routes and scheduled jobs alike: a dead-letter
// queue, a rule target that retries and then dead-letters, and the function's own failures sent to
// the same queue (so one queue, alarmed in alarms.ts, holds everything that could not be done).
import { Duration } from 'aws-cdk-lib';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** A route's or a job's dead-letter queue. SQS-managed keys: EventBridge cannot use the AWS-managed
 *  SQS key, and what lands here (events, the schedule's time) holds no personal data. */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, { enforceSSL: true, encryption: QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14) });
}

/** A function's asynchronous failures (it ran and threw every time) go to the dead-letter queue too,
 *  with the error beside the event, after two more tries. */
export function failuresTo(queue: Queue) {
  return { onFailure: new SqsDestination(queue), retryAttempts: 2 };
}

/** The rule's target: delivery fails only while Lambda throttles or is unavailable, so it is retried
 *  (20 times, for up to `maxEventAge`) before the event is dead-lettered. */
export function deadLetteredTarget(fn: IFunction, queue: Queue, maxEventAge: Duration): LambdaFunction {
  return new LambdaFunction(fn, { retryAttempts: 20, maxEventAge, deadLetterQueue: queue });
}
