// The transactional outbox in AWS: an EventBridge Pipe reads the projections table's stream, keeps only
// new items bearing the outbox marker, and hands them to a Lambda that puts them on the bus.
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './dead-lettered-target';
import { Construct } from 'constructs';
import { OUTBOX_FILTER_PATTERN } from '../shared/store/outbox';
import type { ResourceAccess } from '../shared/wiring/event-routes';
import { FosteringFunction, grantAccess, type FosteringResources } from './fostering-function';

/** What the outbox's publisher touches: the bus, nothing else. */
export const OUTBOX_PUBLISHER_ACCESS: ResourceAccess = { publishes: true };
/** Concurrent executions held for the publisher: a stalled outbox stalls every figure. */
export const OUTBOX_PUBLISHER_RESERVED_CONCURRENCY = 5;

export interface OutboxProps {
  /** The table whose stream carries the outbox entries (the projections table). */
  table: ITable;
  bus: IEventBus;
  resources: FosteringResources;
}

export class Outbox extends Construct {
  readonly deadLetterQueue: Queue;
  readonly publisher: FosteringFunction;
  readonly pipe: CfnPipe;
  readonly pipeRole: Role;

  constructor(scope: Construct, id: string, { table, bus, resources }: OutboxProps) {
    super(scope, id);
    if (!table.tableStreamArn) throw new Error('the outbox table needs a stream');
    // SQS-managed keys: the records hold events, never contact details.
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters');
    // A Lambda, not the bus, is the Pipe's target: with the bus as target the detail would be the
    // stream record in DynamoDB's typed JSON, which no input template turns back into the plain detail
    // (docs/architecture.md, the transactional outbox).
    this.publisher = new FosteringFunction(this, 'Publisher', {
      handlerEntry: 'outbox/publish',
      description: 'Puts the events commands stored (the outbox) on the fostering bus',
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: OUTBOX_PUBLISHER_RESERVED_CONCURRENCY,
    });
    grantAccess(this.publisher, OUTBOX_PUBLISHER_ACCESS, { ...resources, bus });

    const role = new Role(this, 'PipeRole', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com'),
      description: 'Reads the projections table stream for the outbox pipe',
    });
    // The four actions the Pipes guide lists for a DynamoDB stream source: three on the one stream;
    // ListStreams has no resource-level permission, so `*` (it lists stream ARNs, no data). The one
    // function, not its versions (`:*`).
    role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [table.tableStreamArn],
      }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    this.pipeRole = role;
    role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.publisher.functionArn] }));
    this.deadLetterQueue.grantSendMessages(role);

    this.pipe = new CfnPipe(this, 'Pipe', {
      description: 'The transactional outbox: stored command events onto the bus',
      roleArn: role.roleArn,
      source: table.tableStreamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10, // PutEvents takes 10 entries a call
          maximumRetryAttempts: 20,
          maximumRecordAgeInSeconds: 24 * 60 * 60,
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(OUTBOX_FILTER_PATTERN) }] },
      },
      target: this.publisher.functionArn,
      targetParameters: { lambdaFunctionParameters: { invocationType: 'REQUEST_RESPONSE' } },
    });
  }
}
