// The conversion counts in AWS: a Lambda on the projections table's stream (its second reader, beside
// the outbox's pipe), filtered to the records of state items, so that each household's change of state
// moves its agency's day counts (shared/store/conversion-counts.ts). A batch that keeps failing goes to
// a watched dead-letter queue; the counts then lack its changes until they are rewritten from the
// stored states (`npm run conversion-counts`, docs/deploy.md).
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './dead-lettered-target';
import { Construct } from 'constructs';
import { KEEPER_TIMEOUT_SECONDS, STATE_CHANGE_FILTER_PATTERN } from '../shared/store/conversion-counts';
import type { ResourceAccess } from '../shared/wiring/event-routes';
import { FosteringFunction, grantAccess, type FosteringResources } from './fostering-function';

/** What the counts' Lambda touches: the day items in the projections table (stream reading is granted by the event source). */
export const CONVERSION_COUNTS_ACCESS: ResourceAccess = { projections: 'readWrite' };

export interface ConversionCountsProps {
  /** The table whose stream carries the households' states (the projections table). */
  table: ITable;
  resources: FosteringResources;
}

export class ConversionCounts extends Construct {
  readonly deadLetterQueue: Queue;
  readonly keeper: FosteringFunction;
  /** The keeper's event source mapping: the rebuild disables it while it runs (`npm run conversion-counts -- --aws`). */
  readonly keeperMappingId: string;

  constructor(scope: Construct, id: string, { table, resources }: ConversionCountsProps) {
    super(scope, id);
    if (!table.tableStreamArn) throw new Error('the conversion counts need the table stream');
    // SQS-managed keys: the messages point at stream records, never hold contact details.
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters');
    this.keeper = new FosteringFunction(this, 'Keeper', {
      handlerEntry: 'projectors/conversion-counts',
      description: "Keeps each agency's conversion counts from the households' changes of state",
      timeout: Duration.seconds(KEEPER_TIMEOUT_SECONDS),
    });
    grantAccess(this.keeper, CONVERSION_COUNTS_ACCESS, resources);
    const stream = new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      retryAttempts: 20,
      maxRecordAge: Duration.days(1),
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.deadLetterQueue),
      filters: [{ pattern: JSON.stringify(STATE_CHANGE_FILTER_PATTERN) }],
    });
    this.keeper.addEventSource(stream);
    this.keeperMappingId = stream.eventSourceMappingId;
  }
}
