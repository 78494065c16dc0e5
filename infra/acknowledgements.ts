// The acknowledgements of web enquiries in AWS: a Lambda on the projections table's stream, filtered
// to the acknowledgement items an enquiry from the form stores, sending through Amazon SES from the
// sender `-c acknowledgementSender=<address>` names (an identity verified in SES: the address, or the
// domain `-c acknowledgementIdentity=<domain>` names). It may send as that identity and no other. A
// record that keeps failing goes to a watched dead-letter queue with the failure's reason; the enquiry
// itself is stored already and is never lost.
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './dead-lettered-target';
import { Construct } from 'constructs';
import { ACKNOWLEDGEMENT_FILTER_PATTERN } from '../shared/store/acknowledgements';
import type { ResourceAccess } from '../shared/wiring/event-routes';
import { ACKNOWLEDGEMENT_SENDER_ENV } from '../shared/wiring/environment';
import { FosteringFunction, grantAccess, type FosteringResources } from './fostering-function';

export const ACKNOWLEDGEMENT_SENDER_CONTEXT_KEY = 'acknowledgementSender';
export const ACKNOWLEDGEMENT_IDENTITY_CONTEXT_KEY = 'acknowledgementIdentity';

/** What the mailer reads: the household and the acknowledgement item (marked sent), the contact details, the settings. */
export const ACKNOWLEDGEMENTS_ACCESS: ResourceAccess = { projections: 'readWrite', contacts: 'read' };

/** The sender and its SES identity from the context, when acknowledgements are on. */
export function acknowledgementSenderFrom(scope: Construct): { sender: string; identity: string } | undefined {
  const sender = scope.node.tryGetContext(ACKNOWLEDGEMENT_SENDER_CONTEXT_KEY) as string | undefined;
  if (!sender) return undefined;
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(sender))
    throw new Error(`-c ${ACKNOWLEDGEMENT_SENDER_CONTEXT_KEY} must be an email address`);
  const identity = (scope.node.tryGetContext(ACKNOWLEDGEMENT_IDENTITY_CONTEXT_KEY) as string | undefined) ?? sender;
  if (identity !== sender && !sender.toLowerCase().endsWith(`@${identity.toLowerCase()}`))
    throw new Error(`-c ${ACKNOWLEDGEMENT_IDENTITY_CONTEXT_KEY} must be the sender's address or its domain`);
  return { sender, identity };
}

export class Acknowledgements extends Construct {
  readonly mailer: FosteringFunction;
  readonly deadLetterQueue: Queue;
  readonly identityArn: string;

  constructor(scope: Construct, id: string, props: { table: ITable; resources: FosteringResources; sender: string; identity: string }) {
    super(scope, id);
    const { table, resources, sender, identity } = props;
    // SQS-managed keys: the messages point at stream records, never hold contact details.
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters');
    this.mailer = new FosteringFunction(this, 'Mailer', {
      handlerEntry: 'projectors/acknowledge-enquiries',
      description: 'Sends web enquirers their acknowledgement through Amazon SES, from the stored enquiry',
      timeout: Duration.seconds(30),
      environment: { [ACKNOWLEDGEMENT_SENDER_ENV]: sender },
    });
    grantAccess(this.mailer, ACKNOWLEDGEMENTS_ACCESS, resources);
    const { region, account, partition } = Stack.of(this);
    this.identityArn = `arn:${partition}:ses:${region}:${account}:identity/${identity}`;
    this.mailer.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [this.identityArn] }));
    this.mailer.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        retryAttempts: 5,
        maxRecordAge: Duration.days(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: [{ pattern: JSON.stringify(ACKNOWLEDGEMENT_FILTER_PATTERN) }],
      }),
    );
  }
}
