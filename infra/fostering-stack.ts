// The whole service in one stack: tables, the bus and its projectors, the API, scheduled jobs, and the alarms.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ALARM_EMAIL_CONTEXT_KEY, ServiceAlarms } from './alarms';
import { FosteringApi } from './api';
import { DashboardSite } from './dashboard';
import { FosteringEventBus } from './event-bus';
import { FosteringScheduledJobs, RETIRED_RETENTION_DAYS_CONTEXT_KEY } from './scheduled-jobs';
import { FosteringTables, RESTORED_TABLES_CONTEXT_KEY, restoredTablesFrom } from './tables';
import { Outbox } from './outbox';
import { ConversionCounts } from './conversion-counts';
import { FrontDoor } from './front-door';
import { Acknowledgements, acknowledgementSenderFrom } from './acknowledgements';
import { ACKNOWLEDGEMENT_SENDER_ENV } from '../shared/wiring/environment';
import { IDENTITY_PROVIDERS_CONTEXT_KEY, readIdentityProviders } from '../shared/wiring/identity-providers';
import { retentionJob } from '../shared/wiring/scheduled-jobs';

export interface FosteringStackProps extends StackProps {
  /** Origins of the web clients allowed by CORS; default the dashboard's own (see FosteringApiProps). */
  allowedOrigins?: string[];
}

export class FosteringStack extends Stack {
  readonly tables: FosteringTables;
  readonly searchKey: Secret;
  readonly events: FosteringEventBus;
  readonly api: FosteringApi;
  readonly frontDoor: FrontDoor;
  /** Present with `-c acknowledgementSender=<address>`. */
  readonly acknowledgements?: Acknowledgements;
  readonly dashboard: DashboardSite;
  readonly jobs: FosteringScheduledJobs;
  readonly alarms: ServiceAlarms;
  readonly outbox: Outbox;
  readonly conversionCounts: ConversionCounts;

  constructor(scope: Construct, id: string, { allowedOrigins, ...props }: FosteringStackProps = {}) {
    super(scope, id, props);
    // `-c restoredTables=…` after a point-in-time restore (docs/runbook.md).
    this.tables = new FosteringTables(this, 'Tables', restoredTablesFrom(this.node.tryGetContext(RESTORED_TABLES_CONTEXT_KEY)));
    // The key search terms are hashed with: made once, kept with the tables (the stored hashes need it).
    this.searchKey = new Secret(this, 'SearchKey', {
      description: "Keys the hashes of the contacts' search terms (names, emails, phones are never stored in keys)",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const data = { ...this.tables.byAccess, searchKey: this.searchKey };
    this.events = new FosteringEventBus(this, 'Events', { tables: this.tables });
    this.outbox = new Outbox(this, 'Outbox', {
      table: this.tables.byAccess.projections,
      bus: this.events.bus,
      resources: { ...data, bus: this.events.bus },
    });
    this.conversionCounts = new ConversionCounts(this, 'ConversionCounts', {
      table: this.tables.byAccess.projections,
      resources: { ...data, bus: this.events.bus },
    });
    this.api = new FosteringApi(this, 'Api', {
      resources: { ...data, bus: this.events.bus },
      allowedOrigins,
      // `-c identityProviders=<file.json>`: the councils' own sign-in (docs/deploy.md).
      identityProviders: readIdentityProviders(this.node.tryGetContext(IDENTITY_PROVIDERS_CONTEXT_KEY)),
    });
    this.frontDoor = new FrontDoor(this, 'FrontDoor', { resources: { ...data, bus: this.events.bus } });
    // `-c acknowledgementSender=<address>`: web enquirers who give an email get one (docs/deploy.md).
    const mail = acknowledgementSenderFrom(this);
    if (mail) {
      this.acknowledgements = new Acknowledgements(this, 'Acknowledgements', {
        table: this.tables.byAccess.projections,
        resources: { ...data, bus: this.events.bus },
        ...mail,
      });
      this.frontDoor.functions.get('ReceivePublicEnquiry')?.addEnvironment(ACKNOWLEDGEMENT_SENDER_ENV, mail.sender);
    }
    this.dashboard = new DashboardSite(this, 'Dashboard', { api: this.api, formUrl: this.frontDoor.formUrl });
    // How long contact details are kept is each agency's setting (at least the law's minimums): a
    // deployment-wide period would be one nobody applies, so it stops the deployment.
    if (this.node.tryGetContext(RETIRED_RETENTION_DAYS_CONTEXT_KEY) !== undefined)
      throw new Error(
        `-c ${RETIRED_RETENTION_DAYS_CONTEXT_KEY} is no longer a setting: each agency sets enquiryRetentionDays, applicantRetentionDays ` +
          'and carerRetentionDays with PUT /agency/settings (docs/security.md, retention)',
      );
    this.jobs = new FosteringScheduledJobs(this, 'Jobs', { resources: { ...data, bus: this.events.bus } });
    this.alarms = new ServiceAlarms(this, 'Alarms', {
      alarmEmail: this.node.tryGetContext(ALARM_EMAIL_CONTEXT_KEY),
      outboxPipe: this.outbox.pipe,
      streamReaders: new Map([['ConversionCountsKeeper', this.conversionCounts.keeper]]),
      api: this.api.httpApi,
      retentionJob: this.jobs.functions.get(retentionJob.name)!,
      deadLetterQueues: new Map([
        ...this.events.deadLetterQueues,
        ...[...this.events.orderedDeadLetterQueues].map(([name, queue]) => [`${name}Ordered`, queue] as const),
        ...this.jobs.deadLetterQueues,
        ['Outbox', this.outbox.deadLetterQueue] as const,
        ['ConversionCounts', this.conversionCounts.deadLetterQueue] as const,
        ...(this.acknowledgements ? [['Acknowledgements', this.acknowledgements.deadLetterQueue] as const] : []),
      ]),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url });
    new CfnOutput(this, 'DashboardUrl', { value: this.dashboard.url });
    // An agency's enquiry form is at <EnquiryFormUrl>/<agencyId>: the address the council links to.
    new CfnOutput(this, 'EnquiryFormUrl', { value: this.frontDoor.formUrl });
    new CfnOutput(this, 'UserPoolId', { value: this.api.staff.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.client.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    // For `npm run import -- --aws` (CONTACTS_TABLE): imported contact details go to this table only.
    new CfnOutput(this, 'ContactsTableName', { value: this.tables.byAccess.contacts.tableName });
    // For `npm run import -- --aws` (AUDIT_TABLE): the import of contact details is audited there.
    new CfnOutput(this, 'AuditTableName', { value: this.tables.byAccess.audit.tableName });
    // For `npm run import -- --aws` (SEARCH_KEY_SECRET): imported search terms are hashed with this key.
    new CfnOutput(this, 'SearchKeySecretName', { value: this.searchKey.secretName });
    // For `npm run conversion-counts -- --aws` (PROJECTIONS_TABLE, --keeper): the rebuild pauses the keeper's mapping.
    new CfnOutput(this, 'ProjectionsTableName', { value: this.tables.byAccess.projections.tableName });
    new CfnOutput(this, 'ConversionCountsKeeperMapping', { value: this.conversionCounts.keeperMappingId });
    // The keeper's dead letters: the batches it gave up on, purged once the counts are rebuilt (docs/deploy.md).
    new CfnOutput(this, 'ConversionCountsKeeperDeadLettersUrl', { value: this.conversionCounts.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
