// The deployed stack, read from its CloudFormation template. Every expectation is derived from the
// shared declarations (routes, API routes, scheduled jobs, tables), so a new route or table is checked without a new test.
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FosteringStack } from '../../infra/fostering-stack';
import { EVENT_BUS_NAME_ENV, ORDERED_QUEUE_URL_ENV, SEARCH_KEY_SECRET_ENV } from '../../shared/wiring/environment';
import { tableAccessKeys, tableOfAccess } from '../../infra/tables';
import { apiRoutes, roles } from '../../shared/wiring/http-routes';
import { EVENT_SOURCE } from '../../shared/events/catalogue';
import { EVENT_BUS_NAME, eventRoutes, type ResourceAccess } from '../../shared/wiring/event-routes';
import { messageGroupOf } from '../../shared/wiring/message-groups';
import { retentionJob, scheduledJobs } from '../../shared/wiring/scheduled-jobs';
import { auditTable, contactsTable, tableDefinitions } from '../../shared/store/tables';
import { OUTBOX_FILTER_PATTERN } from '../../shared/store/outbox';
import { OUTBOX_PUBLISHER_ACCESS } from '../../infra/outbox';
import { TABLE_ACTIONS } from '../../infra/fostering-function';
import { CONVERSION_COUNTS_ACCESS } from '../../infra/conversion-counts';
import { KEEPER_TIMEOUT_SECONDS, STATE_CHANGE_FILTER_PATTERN } from '../../shared/store/conversion-counts';

// Skipping bundling keeps the test offline and fast; NodejsFunction still checks each entry exists.
// CDK's built-in CloudFormation validation is left to the synth through the CLI (synth.test.ts): it
// only ever warns, asserts nothing here, and took most of this file's time (a WASM engine per file).
const testApp = (context: Record<string, unknown> = {}) =>
  new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], ...context } });
const app = testApp();
const stack = new FosteringStack(app, 'FosteringStack');
const template = Template.fromStack(stack);

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const idOf = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const resourcesOf = (type: string) => template.findResources(type) as Record<string, Resource>;
const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function mustGet<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`nothing for ${String(key)}`);
  return value;
}

/** Every function the shared declarations ask for, with what it declares it touches. */
const declaredFunctions = [
  ...eventRoutes.map((route) => ({ name: route.name, access: route.access, fn: mustGet(stack.events.projectors, route.name) })),
  // An ordered route's router touches no table and no bus: only its FIFO queue (asserted below).
  ...eventRoutes
    .filter((route) => route.ordered)
    .map((route) => ({ name: `${route.name}Router`, access: {} as ResourceAccess, fn: mustGet(stack.events.routers, route.name) })),
  ...apiRoutes.map((route) => ({
    name: route.name,
    access: route.access as ResourceAccess,
    fn: mustGet('gateway' in route ? stack.frontDoor.functions : stack.api.functions, route.name),
  })),
  ...scheduledJobs.map((job) => ({ name: job.name, access: job.access, fn: mustGet(stack.jobs.functions, job.name) })),
  { name: 'OutboxPublisher', access: OUTBOX_PUBLISHER_ACCESS, fn: stack.outbox.publisher },
  { name: 'ConversionCountsKeeper', access: CONVERSION_COUNTS_ACCESS, fn: stack.conversionCounts.keeper },
];

/** The Allow statements of the IAM policies attached to a function's role. */
function statementsOfRoleOf(functionId: string): Statement[] {
  const fn = resourcesOf('AWS::Lambda::Function')[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(resourcesOf('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .filter((statement) => statement.Effect === 'Allow');
}

const actionsOnResource = (statements: Statement[], logicalId: string): string[] =>
  statements.filter((statement) => JSON.stringify(statement.Resource).includes(`"${logicalId}"`)).flatMap(actionsOf);

const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** What reading a table's stream takes (the keeper's event source mapping, asserted with it below). */
const STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
/** A table's DynamoDB actions in a function's statements, its stream's apart. */
const dynamoDbActionsOn = (statements: Statement[], tableId: string) =>
  [
    ...new Set(
      actionsOnResource(statements, tableId).filter((action) => action.startsWith('dynamodb:') && !STREAM_ACTIONS.includes(action)),
    ),
  ].sort();

describe('the event bus', () => {
  const busId = idOf(stack.events.bus);

  it(`is a custom bus named "${EVENT_BUS_NAME}"`, () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: EVENT_BUS_NAME });
  });

  it('archives every fostering event so projections can be rebuilt by replay', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      EventPattern: { source: [EVENT_SOURCE] },
    });
  });

  describe.each(eventRoutes.map((route) => [route.name, route] as const))('the %s route', (name, route) => {
    const projectorId = idOf(mustGet(stack.events.projectors, name));
    const deadLettersArn = { 'Fn::GetAtt': [idOf(mustGet(stack.events.deadLetterQueues, name)), 'Arn'] };
    // What the rule invokes: the projector, or for an ordered route its router.
    const targetId = route.ordered ? idOf(mustGet(stack.events.routers, name)) : projectorId;

    it(`is a rule on the bus whose event pattern is exactly the route's pattern, targeting its ${route.ordered ? 'router' : 'projector'} with a retry policy and a dead-letter queue`, () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: busId },
        EventPattern: Match.objectEquals(plain(route.pattern)),
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [targetId, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
            DeadLetterConfig: { Arn: deadLettersArn },
          }),
        ],
      });
    });

    it(`sends errors raised inside its ${route.ordered ? 'router (an invalid event)' : 'projector'} to the same dead-letter queue, after 2 retries`, () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: targetId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: deadLettersArn } },
      });
    });

    if (!route.ordered) return;

    it(`delivers through a FIFO queue, grouped by ${route.ordered.by.join(' and ')}: the router may only send to it, the projector reads it in order`, () => {
      const queueId = idOf(mustGet(stack.events.orderedQueues, name));
      const queue = resourcesOf('AWS::SQS::Queue')[queueId];
      expect(queue?.Properties).toMatchObject({
        FifoQueue: true,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [idOf(mustGet(stack.events.orderedDeadLetterQueues, name)), 'Arn'] },
          maxReceiveCount: 5,
        },
      });
      const router = resourcesOf('AWS::Lambda::Function')[targetId];
      expect(router?.Properties.Environment.Variables[ORDERED_QUEUE_URL_ENV]).toEqual({ Ref: queueId });
      expect(actionsOnResource(statementsOfRoleOf(targetId), queueId)).toEqual(expect.arrayContaining(['sqs:SendMessage']));
      expect(actionsOnResource(statementsOfRoleOf(targetId), queueId).filter((action) => action.startsWith('sqs:Receive'))).toEqual([]);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: projectorId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // Fed by the queue only: the projector is not invoked asynchronously, so it has no invoke config.
      expect(
        Object.values(resourcesOf('AWS::Lambda::EventInvokeConfig')).filter(
          (config) => JSON.stringify(config.Properties.FunctionName) === JSON.stringify({ Ref: projectorId }),
        ),
      ).toEqual([]);
    });

    it('routes by the same message group the local bus uses', () => {
      const detail = { agencyId: 'cambs', householdId: 'h-1' };
      expect(messageGroupOf(route, { detail })).toBe(route.ordered!.by.map((field) => detail[field as keyof typeof detail]).join('#'));
      expect(messageGroupOf(route, { detail: { agencyId: 'cambs' } })).toBeUndefined();
      const long = messageGroupOf(route, { detail: { agencyId: 'a'.repeat(64), householdId: 'h'.repeat(64) } });
      expect(long).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it("has a dead-letter queue per route and per scheduled job, and an ordered route's FIFO queue and its dead letters: SSL enforced, encrypted, keeping messages 14 days", () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    const orderedRoutes = eventRoutes.filter((route) => route.ordered).length;
    expect(orderedRoutes).toBeGreaterThan(0);
    expect(Object.keys(queues)).toHaveLength(eventRoutes.length + scheduledJobs.length + 2 * orderedRoutes + 2); // + the outbox pipe's and the conversion counts'
    const queuePolicies = Object.values(resourcesOf('AWS::SQS::QueuePolicy'));
    for (const [queueId, queue] of Object.entries(queues)) {
      expect(queue.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 60 * 60 });
      expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined).toBe(true);
      const deniesPlainHttp = queuePolicies.some(
        (policy) =>
          JSON.stringify(policy.Properties.Queues).includes(`"${queueId}"`) &&
          (policy.Properties.PolicyDocument.Statement as Statement[]).some(
            (statement) =>
              statement.Effect === 'Deny' &&
              JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          ),
      );
      expect(deniesPlainHttp).toBe(true);
    }
  });
});

describe('the scheduled jobs', () => {
  describe.each(scheduledJobs.map((job) => [job.name, job] as const))('%s', (name, job) => {
    const functionId = idOf(mustGet(stack.jobs.functions, name));
    const deadLettersArn = { 'Fn::GetAtt': [idOf(mustGet(stack.jobs.deadLetterQueues, name)), 'Arn'] };

    it(`runs on the schedule ${job.schedule}, with a retry policy and a dead-letter queue on its target`, () => {
      const rule = resourcesOf('AWS::Events::Rule')[idOf(mustGet(stack.jobs.rules, name))];
      expect(rule?.Properties).toMatchObject({
        ScheduleExpression: job.schedule,
        State: 'ENABLED',
        Targets: [
          expect.objectContaining({
            Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
            DeadLetterConfig: { Arn: deadLettersArn },
          }),
        ],
      });
      // Scheduled rules live on the default bus, where nothing else can publish to them.
      expect(rule?.Properties.EventBusName).toBeUndefined();
    });

    it('sends its own failures to the same dead-letter queue, after 2 retries, and has the time its work needs', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: deadLettersArn } },
      });
      expect(resourcesOf('AWS::Lambda::Function')[functionId]?.Properties.Timeout).toBe(job.timeoutSeconds);
    });
  });

  describe('retention', () => {
    const functionId = idOf(mustGet(stack.jobs.functions, retentionJob.name));

    it('may delete contact details; of the analytics records it writes only its own clocks', () => {
      const statements = statementsOfRoleOf(functionId);
      expect(actionsOnResource(statements, idOf(stack.tables.of(contactsTable)))).toEqual(expect.arrayContaining(['dynamodb:DeleteItem']));
      const onProjections = actionsOnResource(statements, idOf(stack.tables.byAccess.projections));
      expect(onProjections).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:ConditionCheckItem']));
      const writes = statements.filter(
        (statement) =>
          JSON.stringify(statement.Resource).includes(`"${idOf(stack.tables.byAccess.projections)}"`) &&
          actionsOf(statement).some((action) => WRITE_ACTIONS.includes(action)),
      );
      expect(writes.map((statement) => [actionsOf(statement).sort(), statement.Condition])).toEqual([
        [['dynamodb:DeleteItem', 'dynamodb:PutItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RETENTION#*'] } }],
      ]);
    });

    it('stops a deployment given `-c retentionDays`: the periods are agency settings, never below the law', () => {
      expect(() => new FosteringStack(testApp({ retentionDays: '365' }), 'FosteringStack')).toThrow(
        /retentionDays is no longer a setting: each agency sets enquiryRetentionDays, applicantRetentionDays and carerRetentionDays/,
      );
    });
  });
});

describe("the search terms' key", () => {
  const secretId = idOf(stack.searchKey);

  it('is a generated secret kept when the stack goes (the stored hashes need it)', () => {
    expect(resourcesOf('AWS::SecretsManager::Secret')[secretId]).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('may be read by exactly the functions that declare it, and each is told where it is', () => {
    const readers = declaredFunctions
      .filter(({ fn }) => actionsOnResource(statementsOfRoleOf(idOf(fn)), secretId).includes('secretsmanager:GetSecretValue'))
      .map(({ name }) => name);
    expect(readers.sort()).toEqual(
      declaredFunctions
        .filter(({ access }) => access.searchKey)
        .map(({ name }) => name)
        .sort(),
    );
    expect(readers.length).toBeGreaterThan(0);
    for (const { fn } of declaredFunctions.filter(({ access }) => access.searchKey))
      expect(resourcesOf('AWS::Lambda::Function')[idOf(fn)]?.Properties.Environment.Variables[SEARCH_KEY_SECRET_ENV]).toEqual({
        Ref: secretId,
      });
  });
});

describe('the access audit', () => {
  it('no function may change or delete an entry: whoever holds the audit table may put and read, never update or delete', () => {
    const auditId = idOf(stack.tables.of(auditTable));
    const holders = declaredFunctions.filter(({ access }) => access.audit);
    expect(holders.length).toBeGreaterThan(0);
    for (const { fn } of declaredFunctions) {
      const actions = actionsOnResource(statementsOfRoleOf(idOf(fn)), auditId);
      expect(actions.filter((action) => /Update|Delete|BatchWrite|PartiQL/.test(action))).toEqual([]);
    }
  });
});

describe('the alarms', () => {
  it("raise an alarm on every dead-letter queue (every queue but an ordered route's working FIFO queue) at each new message", () => {
    const workingQueues = new Set([...stack.events.orderedQueues.values()].map(idOf));
    const alarms = Object.values(resourcesOf('AWS::CloudWatch::Alarm'));
    for (const queueId of Object.keys(resourcesOf('AWS::SQS::Queue')).filter((id) => !workingQueues.has(id))) {
      const watching = alarms.filter((alarm) => JSON.stringify(alarm.Properties.Metrics ?? []).includes(`"${queueId}"`));
      expect([queueId, watching.length]).toEqual([queueId, 1]);
      const { Metrics, Threshold, ComparisonOperator, AlarmActions, OKActions } = watching[0]!.Properties;
      // Messages sent there, or the visible count rising (a redrive's move), in the last minute: so the
      // alarm falls back after a quiet minute and rings again at the next message, not only the first.
      const metricNames = (Metrics as Array<{ MetricStat?: { Metric: { MetricName: string } } }>).flatMap(
        (m) => m.MetricStat?.Metric.MetricName ?? [],
      );
      expect(metricNames.sort()).toEqual(['ApproximateNumberOfMessagesVisible', 'NumberOfMessagesSent']);
      expect(JSON.stringify(Metrics)).toContain('DIFF(visible)');
      expect([ComparisonOperator, Threshold]).toEqual(['GreaterThanThreshold', 0]);
      expect(AlarmActions).toEqual([{ Ref: idOf(stack.alarms.topic) }]);
      expect(OKActions).toEqual([{ Ref: idOf(stack.alarms.topic) }]);
    }
  });
});

describe('the tables', () => {
  it('are exactly the shared table definitions', () => {
    expect(Object.keys(resourcesOf('AWS::DynamoDB::Table')).sort()).toEqual(
      tableDefinitions.map((definition) => idOf(stack.tables.of(definition))).sort(),
    );
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  describe.each(tableDefinitions.map((definition) => [definition.id, definition] as const))('the %s table', (_, definition) => {
    const table = (): Resource => {
      const found = resourcesOf('AWS::DynamoDB::Table')[idOf(stack.tables.of(definition))];
      if (!found) throw new Error(`no table ${definition.id}`);
      return found;
    };

    it('is billed on demand, has point-in-time recovery and is retained when the stack goes', () => {
      const { Properties, DeletionPolicy, UpdateReplacePolicy } = table();
      expect(Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(DeletionPolicy).toBe('Retain');
      expect(UpdateReplacePolicy).toBe('Retain');
      expect(Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    });

    it('has the keys, indexes and time-to-live of its definition', () => {
      const { Properties } = table();
      expect(Properties.KeySchema).toEqual([
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      expect((Properties.GlobalSecondaryIndexes ?? []).map((index: { IndexName: string }) => index.IndexName)).toEqual(
        definition.indexes.map((index) => index.indexName),
      );
      expect(Properties.TimeToLiveSpecification).toEqual(
        definition.timeToLiveAttribute ? { AttributeName: definition.timeToLiveAttribute, Enabled: true } : undefined,
      );
    });

    it(
      definition.personalData
        ? 'holds personal data, so is encrypted with a customer-managed KMS key that rotates and is retained'
        : 'is encrypted with the AWS-managed key',
      () => {
        const { Properties } = table();
        if (!definition.personalData) {
          // On AWS::DynamoDB::Table, SSE enabled without a key id means the AWS-managed key.
          expect(Properties.SSESpecification).toEqual({ SSEEnabled: true });
          return;
        }
        expect(Properties.SSESpecification).toEqual({
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        });
        const keyId = Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
        expect(template.toJSON().Resources[keyId]).toMatchObject({
          Type: 'AWS::KMS::Key',
          Properties: { EnableKeyRotation: true },
          DeletionPolicy: 'Retain',
        });
      },
    );
  });
});

describe('the functions', () => {
  // Ours: all but CDK's BucketDeployment handler (CDK's Python), which copies the dashboard's files at deploy time.
  const ourFunctions = () =>
    Object.entries(resourcesOf('AWS::Lambda::Function'))
      .filter(([id]) => id !== idOf(stack.dashboard.deployment.handlerRole.node.scope!))
      .map(([, fn]) => fn);

  it('every function runs nodejs22.x on arm64, with source maps and the Powertools service name', () => {
    const functions = ourFunctions();
    expect(functions).toHaveLength(declaredFunctions.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: expect.any(String) } },
      });
    }
  });

  it("every function logs to its concern's log group (the API's, the bus's, the jobs'…) with a retention period, and may write to no other", () => {
    const logGroups = resourcesOf('AWS::Logs::LogGroup');
    for (const fn of ourFunctions()) {
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(logGroups[logGroupId]?.Properties.RetentionInDays).toEqual(expect.any(Number));
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const logWrites = Object.values(resourcesOf('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
        .filter((statement) => actionsOf(statement).some((action) => action.startsWith('logs:')));
      expect(logWrites.map((statement) => JSON.stringify(statement.Resource))).toEqual([expect.stringContaining(`"${logGroupId}"`)]);
    }
    // A concern's functions share one group: far fewer groups than functions.
    expect(Object.keys(logGroups).length).toBeLessThan(ourFunctions().length / 4);
  });

  describe.each(declaredFunctions.map((declared) => [declared.name, declared] as const))('%s', (_, { fn, access }) => {
    const functionId = idOf(fn);

    it('is told the name of exactly the tables and bus its access declares', () => {
      const variables = resourcesOf('AWS::Lambda::Function')[functionId]?.Properties.Environment.Variables;
      const expected = [
        ...tableAccessKeys.filter((key) => access[key]).map((key) => tableOfAccess[key].envVar),
        ...(access.publishes ? [EVENT_BUS_NAME_ENV] : []),
      ];
      const told = [...tableAccessKeys.map((key) => tableOfAccess[key].envVar), EVENT_BUS_NAME_ENV].filter((name) => name in variables);
      expect(told.sort()).toEqual(expected.sort());
    });

    it('is granted exactly the actions of its declared access: nothing on undeclared tables, no writes where it only reads, Scan only where declared', () => {
      const statements = statementsOfRoleOf(functionId);
      for (const key of tableAccessKeys) {
        const actions = dynamoDbActionsOn(statements, idOf(stack.tables.byAccess[key]));
        const mode = access[key];
        const scans = (access.scans as readonly string[] | undefined)?.includes(key) ? ['dynamodb:Scan'] : [];
        // The retention job's clocks: its only writes, in a statement of their own (asserted under retention).
        const clocks = mode === 'readAndClocks' ? ['dynamodb:DeleteItem', 'dynamodb:PutItem'] : [];
        expect([key, actions]).toEqual([key, mode ? [...new Set([...TABLE_ACTIONS[mode], ...scans, ...clocks])].sort() : []]);
        if (mode === 'read') expect(actions.filter((action) => WRITE_ACTIONS.includes(action))).toEqual([]);
        if (mode === 'append' || mode === 'appendAndRead')
          expect(actions.filter((action) => WRITE_ACTIONS.includes(action))).toEqual(['dynamodb:PutItem']);
      }
      const putsEvents = actionsOnResource(statements, idOf(stack.events.bus)).includes('events:PutEvents');
      expect(putsEvents).toBe(access.publishes === true);
    });
  });
});

describe('least privilege', () => {
  it('no IAM policy statement allows every action, or every action of a service (e.g. dynamodb:*)', () => {
    const actions = Object.values(resourcesOf('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('the contacts table (personal data) is granted only to functions whose access declares contacts', () => {
    const contactsId = idOf(stack.tables.of(contactsTable));
    const granted = declaredFunctions
      .filter(({ fn }) => actionsOnResource(statementsOfRoleOf(idOf(fn)), contactsId).length > 0)
      .map(({ name }) => name);
    const declared = declaredFunctions.filter(({ access }) => access.contacts).map(({ name }) => name);
    expect(declared.length).toBeGreaterThan(0);
    expect(granted.sort()).toEqual(declared.sort());
  });
});

/** The routes the HTTP API serves: every one but the front door's (test/infra/front-door.test.ts). */
const httpApiRoutes = apiRoutes.filter((route) => !('gateway' in route));

describe('the HTTP API', () => {
  const authorizerId = Object.keys(resourcesOf('AWS::ApiGatewayV2::Authorizer'))[0];
  const userPoolId = idOf(stack.api.staff);

  it('has exactly one route per API route declaration', () => {
    const routeKeys = Object.values(resourcesOf('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(httpApiRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  describe.each(httpApiRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (routeKey, route) => {
    it(
      route.allowedRoles.length > 0
        ? 'needs a JWT from the staff user pool and is served by its own function'
        : 'is open (it names no roles) and is served by its own function',
      () => {
        const [routeResource, ...others] = Object.values(resourcesOf('AWS::ApiGatewayV2::Route')).filter(
          (candidate) => candidate.Properties.RouteKey === routeKey,
        );
        expect(others).toEqual([]);
        expect(routeResource?.Properties).toMatchObject(
          route.allowedRoles.length > 0 ? { AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } } : { AuthorizationType: 'NONE' },
        );
        const integrationId = routeResource?.Properties.Target['Fn::Join'][1][1].Ref;
        expect(resourcesOf('AWS::ApiGatewayV2::Integration')[integrationId]?.Properties).toMatchObject({
          IntegrationUri: { 'Fn::GetAtt': [idOf(mustGet(stack.api.functions, route.name)), 'Arn'] },
          PayloadFormatVersion: '2.0',
        });
      },
    );
  });

  it('trusts only ID tokens that the staff user pool issued to its web client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: userPoolId }]] },
        Audience: [{ Ref: idOf(stack.api.client) }],
      },
    });
  });

  it("answers CORS preflights for the methods and headers the API uses, from the dashboard's own origin only", () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(stack.dashboard.distribution), 'DomainName'] }]] }],
        AllowMethods: Match.arrayWith([...new Set(httpApiRoutes.map((route) => route.method))]),
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'idempotency-key']),
      }),
    });
  });

  it('allows the origins `-c allowedOrigins=…` names instead, when given', () => {
    const narrowed = new FosteringStack(testApp(), 'FosteringStack', {
      allowedOrigins: ['https://fostering.example.gov.uk'],
    });
    Template.fromStack(narrowed).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://fostering.example.gov.uk'] }),
    });
  });

  it('logs every request to a log group', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [idOf(stack.api.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
  });
});

describe('the staff user pool', () => {
  it('has one group per role, and no other', () => {
    const groups = Object.values(resourcesOf('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([...roles].sort());
    for (const group of groups) expect(group.Properties.UserPoolId).toEqual({ Ref: idOf(stack.api.staff) });
  });

  it('carries the custom attributes agencyId and regionId, which become the custom:agencyId and custom:regionId claims', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'agencyId', AttributeDataType: 'String' }),
        Match.objectLike({ Name: 'regionId', AttributeDataType: 'String' }),
      ]),
    });
  });

  it('does not let staff sign themselves up or rewrite their own agency or region', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const [client] = Object.values(resourcesOf('AWS::Cognito::UserPoolClient'));
    expect(client?.Properties.WriteAttributes).toBeDefined();
    expect(client?.Properties.WriteAttributes).not.toContain('custom:agencyId');
    expect(client?.Properties.WriteAttributes).not.toContain('custom:regionId');
  });
});

describe('the outputs', () => {
  it('name the API URL, the user pool and its client, and the bus', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('UserPoolId', { Value: { Ref: idOf(stack.api.staff) } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: idOf(stack.api.client) } });
    template.hasOutput('EventBusName', { Value: { Ref: idOf(stack.events.bus) } });
  });
});

describe('the outbox', () => {
  const pipes = () => Object.values(resourcesOf('AWS::Pipes::Pipe'));

  it("reads the projections table's stream through one pipe that keeps only new items bearing the outbox marker", () => {
    const tables = resourcesOf('AWS::DynamoDB::Table');
    const projections = Object.entries(tables).find(([id]) => id.startsWith('TablesProjections'));
    expect(projections?.[1].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(pipes()).toHaveLength(1);
    const pipe = pipes()[0]!.Properties;
    expect(pipe.Source).toEqual({ 'Fn::GetAtt': [projections![0], 'StreamArn'] });
    expect(JSON.parse(pipe.SourceParameters.FilterCriteria.Filters[0].Pattern)).toEqual(OUTBOX_FILTER_PATTERN);
  });

  it('sends what it cannot deliver to a dead-letter queue that an alarm watches', () => {
    const pipe = pipes()[0]!.Properties;
    const dlqArn = pipe.SourceParameters.DynamoDBStreamParameters.DeadLetterConfig.Arn;
    const queueId = dlqArn['Fn::GetAtt'][0] as string;
    expect(resourcesOf('AWS::SQS::Queue')[queueId]).toBeDefined();
    const watched = Object.values(resourcesOf('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions ?? alarm.Properties.Metrics ?? []).includes(queueId),
    );
    expect(watched).toHaveLength(1);
  });

  it('targets the publisher function, which may put events on the bus and touch no table', () => {
    const pipe = pipes()[0]!.Properties;
    const functionId = pipe.Target['Fn::GetAtt'][0] as string;
    const statements = statementsOfRoleOf(functionId);
    expect(statements.flatMap((s) => [s.Action].flat())).toContain('events:PutEvents');
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => String(a).startsWith('dynamodb:'))).toEqual([]);
  });
});

describe('the conversion counts', () => {
  const mappings = () => Object.values(resourcesOf('AWS::Lambda::EventSourceMapping'));
  const keeperId = () => stack.getLogicalId(stack.conversionCounts.keeper.node.defaultChild as CfnElement);

  it("read the projections table's stream (old and new images) through one event source mapping that keeps only state items", () => {
    const projections = Object.entries(resourcesOf('AWS::DynamoDB::Table')).find(([id]) => id.startsWith('TablesProjections'))!;
    const streamMappings = mappings().filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes(projections[0]));
    expect(streamMappings).toHaveLength(1);
    const mapping = streamMappings[0]!.Properties;
    expect(mapping.FunctionName).toEqual({ Ref: keeperId() });
    expect(mapping.StartingPosition).toBe('TRIM_HORIZON');
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(JSON.parse(mapping.FilterCriteria.Filters[0].Pattern)).toEqual(STATE_CHANGE_FILTER_PATTERN);
  });

  it("name the keeper's mapping and the table in outputs, for the rebuild to pause it, whose wait is the keeper's timeout", () => {
    const mappingId = Object.entries(resourcesOf('AWS::Lambda::EventSourceMapping')).find(([, m]) =>
      JSON.stringify(m.Properties.FunctionName).includes(keeperId()),
    )![0];
    template.hasOutput('ConversionCountsKeeperMapping', { Value: { Ref: mappingId } });
    template.hasOutput('ProjectionsTableName', { Value: { Ref: idOf(stack.tables.byAccess.projections) } });
    expect(resourcesOf('AWS::Lambda::Function')[keeperId()]?.Properties.Timeout).toBe(KEEPER_TIMEOUT_SECONDS);
  });

  it('send a batch they cannot apply to a dead-letter queue that an alarm watches', () => {
    const mapping = mappings().find((m) => JSON.stringify(m.Properties.FunctionName).includes(keeperId()))!.Properties;
    const queueId = mapping.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(resourcesOf('AWS::SQS::Queue')[queueId]).toBeDefined();
    // Named in an output, so that an operator finds it (docs/deploy.md).
    template.hasOutput('ConversionCountsKeeperDeadLettersUrl', { Value: { Ref: queueId } });
    const watched = Object.values(resourcesOf('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions ?? alarm.Properties.Metrics ?? []).includes(queueId),
    );
    expect(watched).toHaveLength(1);
  });
});
