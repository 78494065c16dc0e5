// What the on-call engineer hears about, through one topic (`-c alarmEmail=` subscribes an address):
// each dead-letter queue on every new message, the outbox stalling or failing, Lambda errors and
// throttles, the API's server errors, and the retention job failing.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';

/** `cdk deploy -c alarmEmail=<address>`: who is told. */
export const ALARM_EMAIL_CONTEXT_KEY = 'alarmEmail';
/** A stream reader this far behind is close to losing records (the stream keeps them 24 hours). */
export const STREAM_AGE_ALARM = Duration.hours(1);
/** The share of API requests answered 5xx, over five minutes, that wakes someone. */
export const API_SERVER_ERROR_RATE = 0.05;

export interface ServiceAlarmsProps {
  /** The queues to watch, keyed by the name of the route or job they serve. */
  deadLetterQueues: ReadonlyMap<string, IQueue>;
  /** The outbox's pipe, whose failed executions mean events that did not reach the bus. */
  outboxPipe: CfnPipe;
  /** Functions reading the table's stream through an event source mapping. */
  streamReaders: ReadonlyMap<string, IFunction>;
  api: HttpApi;
  retentionJob: IFunction;
  alarmEmail?: string;
}

export class ServiceAlarms extends Construct {
  readonly topic: Topic;
  /** Every alarm, keyed by what it watches. */
  readonly alarms = new Map<string, Alarm>();
  private readonly notify: SnsAction;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Fostering recruitment alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.notify = new SnsAction(this.topic);
    const minute = Duration.minutes(1);

    for (const [name, queue] of props.deadLetterQueues) {
      // Rises on every new message, then falls back after a quiet minute, so the next one notifies
      // again: messages a service sends are counted as sent; those SQS moves there by redrive only
      // show as the visible count going up.
      this.add(`${name}DeadLetters`, `${name} has events it could not process; see docs/runbook.md`, {
        metric: new MathExpression({
          expression: 'MAX([FILL(sent, 0), FILL(DIFF(visible), 0)])',
          usingMetrics: {
            sent: queue.metricNumberOfMessagesSent({ period: minute, statistic: 'Sum' }),
            visible: queue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }),
          },
          period: minute,
        }),
        threshold: 0,
      });
    }

    const pipeName = props.outboxPipe.ref;
    const pipeMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/EventBridge/Pipes',
        metricName,
        dimensionsMap: { PipeName: pipeName },
        period: minute,
        statistic: 'Sum',
      });
    this.add('OutboxFailures', 'The outbox pipe failed to hand stored events to the publisher; see docs/runbook.md', {
      metric: new MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(targetFailed, 0)',
        usingMetrics: {
          failed: pipeMetric('ExecutionFailed'),
          timedOut: pipeMetric('ExecutionTimeout'),
          targetFailed: pipeMetric('TargetStageFailed'),
        },
        period: minute,
      }),
      threshold: 0,
    });
    for (const [name, reader] of props.streamReaders)
      this.add(`${name}StreamAge`, `${name} is more than an hour behind the table's stream, which keeps records 24 hours`, {
        metric: reader.metric('IteratorAge', { period: minute, statistic: 'Maximum' }),
        threshold: STREAM_AGE_ALARM.toMilliseconds(),
      });

    // The account's functions together: one alarm each rather than two per function (the stack's
    // resource count); the log of the function named in the error says which.
    const lambda = (metricName: string) =>
      new Metric({ namespace: 'AWS/Lambda', metricName, period: Duration.minutes(5), statistic: 'Sum' });
    this.add('LambdaErrors', 'A function of the service failed; its logs say which and why', { metric: lambda('Errors'), threshold: 0 });
    this.add('LambdaThrottles', 'A function was throttled: the account or its reserved concurrency is too small', {
      metric: lambda('Throttles'),
      threshold: 0,
    });

    const fiveMinutes = Duration.minutes(5);
    this.add('ApiServerErrors', `More than ${API_SERVER_ERROR_RATE * 100}% of API requests answered 5xx over five minutes`, {
      metric: new MathExpression({
        expression: 'IF(requests > 0, errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
      }),
      threshold: API_SERVER_ERROR_RATE,
    });

    this.add('RetentionJobFailed', 'The nightly retention job failed: contact details due for erasure are still held', {
      metric: props.retentionJob.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 0,
    });
  }

  private add(name: string, description: string, { metric, threshold }: { metric: IMetric; threshold: number }): void {
    const alarm = new Alarm(this, name, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No datapoints means nothing happened: an idle queue or function publishes none.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.notify);
    alarm.addOkAction(this.notify);
    this.alarms.set(name, alarm);
  }
}
