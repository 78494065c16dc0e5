// A dead letter means an event the projections have not absorbed: the figures are wrong until
// someone replays it, so one message is already worth an alarm.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterAlarmsProps {
  /** The queues to watch, keyed by the name of the route they serve. */
  deadLetterQueues: ReadonlyMap<string, IQueue>;
}

export class DeadLetterAlarms extends Construct {
  /** Subscribe the service's support inbox here to hear of dead letters. */
  readonly topic: Topic;

  constructor(scope: Construct, id: string, { deadLetterQueues }: DeadLetterAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Fostering dead letters', enforceSSL: true });
    const notify = new SnsAction(this.topic);
    for (const [routeName, queue] of deadLetterQueues) {
      const alarm = new Alarm(this, `${routeName}DeadLetters`, {
        alarmDescription: `${routeName} has events it could not process; see npm run dead-letters`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        // An empty queue may publish no datapoints at all.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
