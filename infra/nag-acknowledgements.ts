// cdk-nag's AwsSolutions findings that stay, each acknowledged here with its reason: one rule on one
// construct, derived from the same declarations as the stack, so anything new is reported.
import { DefaultStackSynthesizer, Stack, Token, Validations, type App, type CfnElement } from 'aws-cdk-lib';
import { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { CfnSubscription } from 'aws-cdk-lib/aws-sns';
import { Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { apiRoutes } from '../shared/wiring/http-routes';
import { routeSummaries } from '../shared/wiring/route-summaries';
import { eventRoutes, type ResourceAccess } from '../shared/wiring/event-routes';
import { scheduledJobs } from '../shared/wiring/scheduled-jobs';
import type { FosteringFunction } from './fostering-function';
import type { FosteringStack } from './fostering-stack';
import { OUTBOX_PUBLISHER_ACCESS } from './outbox';
import { CONVERSION_COUNTS_ACCESS } from './conversion-counts';
import { ACKNOWLEDGEMENTS_ACCESS } from './acknowledgements';
import { tableAccessKeys, tableOfAccess } from './tables';

/** Runs the AwsSolutions and Serverless packs over every stack of the app when it is synthesised. */
export function checkWithCdkNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/** The plugins' names, which are the namespaces of their findings in CDK's validation report. */
export const NAG_PACK = 'AwsSolutions';
export const SERVERLESS_PACK = 'Serverless';
export const NAG_PACKS = [NAG_PACK, SERVERLESS_PACK] as const;

/** CDK's own `Validations.of(construct).acknowledge` (cdk-nag 3 is a validation plugin), with the id
 *  in CDK's namespaced form `AwsSolutions::<finding>`, so cdk.out/validation-report.json lists every
 *  acknowledged finding with its reason (the bare `AwsSolutions-X` would leave no trace there). For
 *  IAM5 the rule names one finding: `IAM5[Action::kms:ReEncrypt*]` covers that action alone. */
function acknowledge(scope: IConstruct, rule: string, reason: string, pack: (typeof NAG_PACKS)[number] = NAG_PACK): void {
  Validations.of(scope).acknowledge({ id: `${pack}::${pack}-${rule}`, reason });
}

/** Both packs' finding that a function's runtime is not the newest CDK knows. */
function acknowledgeRuntime(fn: IConstruct, reason: string): void {
  acknowledge(fn, 'L1', reason);
  acknowledge(fn, 'LambdaLatestVersion', reason, SERVERLESS_PACK);
}

/** The Serverless pack's findings on a dead-letter queue, which has no dead-letter queue of its own. */
function acknowledgeDeadLetterQueue(queue: IConstruct, why: string): void {
  acknowledge(
    queue,
    'SQSRedrivePolicy',
    `This queue is itself a dead-letter queue: ${why} A queue of dead letters needs no queue of its own dead letters.`,
    SERVERLESS_PACK,
  );
}

function mustGet<V>(map: ReadonlyMap<string, V>, key: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`the stack has nothing named ${key}`);
  return value;
}

/** How cdk-nag spells the ARN of a table (`Fn::GetAtt [id, Arn]`) in a finding. */
const arnInFinding = (table: ITable): string =>
  table instanceof Table
    ? `<${Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement)}.Arn>`
    : // A restored table the stack names (-c restoredTables): its ARN formatted from the stack's pseudo parameters.
      `arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${table.tableName}`;

const hasNoAccess = (access: ResourceAccess): boolean => Object.values(access).every((value) => !value);

export function acknowledgeNagFindings(stack: FosteringStack): void {
  for (const queue of [...stack.events.deadLetterQueues.values(), ...stack.jobs.deadLetterQueues.values()])
    acknowledgeDeadLetterQueue(queue, "its rule target's DeadLetterConfig and its function's on-failure destination point at it.");
  for (const queue of stack.events.orderedDeadLetterQueues.values())
    acknowledgeDeadLetterQueue(queue, "its FIFO queue's RedrivePolicy names it (after five receives).");
  acknowledgeDeadLetterQueue(stack.outbox.deadLetterQueue, "the outbox pipe's DeadLetterConfig points at it.");
  acknowledgeDeadLetterQueue(
    stack.conversionCounts.deadLetterQueue,
    "the conversion counts' event source mapping's on-failure destination.",
  );
  // An SQS event source mapping takes no on-failure destination: its queue's redrive policy is that.
  for (const route of eventRoutes.filter((r) => r.ordered))
    for (const mapping of mustGet(stack.events.projectors, route.name)
      .node.findAll()
      .filter((c) => c instanceof CfnEventSourceMapping))
      acknowledge(
        mapping,
        'LambdaEventSourceMappingDestination',
        "Lambda takes no on-failure destination for an SQS event source: a message that keeps failing moves to the FIFO queue's " +
          'own dead-letter queue after five receives (its RedrivePolicy, asserted in test/infra/stack.test.ts), where an alarm watches it.',
        SERVERLESS_PACK,
      );

  for (const queue of stack.events.deadLetterQueues.values()) {
    acknowledge(
      queue,
      'SQS3',
      "This queue is itself a dead-letter queue: its event rule target's DeadLetterConfig and its projector's " +
        'on-failure destination both point at it (asserted in test/infra/stack.test.ts). cdk-nag only recognises ' +
        "a queue as a DLQ when another queue's RedrivePolicy names it. Nothing consumes it automatically: an " +
        'alarm fires on its first message and `npm run dead-letters` replays it, so a DLQ of its own would add nothing.',
    );
  }

  for (const queue of stack.jobs.deadLetterQueues.values()) {
    acknowledge(
      queue,
      'SQS3',
      "This queue is itself a dead-letter queue: its scheduled rule target's DeadLetterConfig and its job's " +
        'on-failure destination both point at it (asserted in test/infra/stack.test.ts). cdk-nag only recognises ' +
        "a queue as a DLQ when another queue's RedrivePolicy names it. A message here only says a run failed: an " +
        'alarm fires on it, and the next scheduled run does the same work again, so nothing needs to replay it.',
    );
  }

  acknowledge(
    stack.searchKey,
    'SMG4',
    'The key of the stored search-term hashes (HMAC): every search entry is keyed with it, so an automatic rotation ' +
      'would make every stored entry unfindable. Changing it means rewriting every search entry with the new key, ' +
      'a planned operation, not a schedule. Only the functions that write or search the entries may read it.',
  );

  acknowledge(
    stack.outbox.deadLetterQueue,
    'SQS3',
    "This queue is itself a dead-letter queue: the outbox pipe's DeadLetterConfig points at it (asserted in " +
      "test/infra/stack.test.ts). cdk-nag only recognises a queue as a DLQ when another queue's RedrivePolicy names " +
      'it. An alarm fires on its first message; the stored events it names are still in the table and can be published again.',
  );

  acknowledge(
    stack.conversionCounts.deadLetterQueue,
    'SQS3',
    "This queue is itself a dead-letter queue: the conversion counts' event source mapping sends it the stream " +
      'batches it could not apply (its on-failure destination, asserted in test/infra/stack.test.ts). cdk-nag only ' +
      "recognises a queue as a DLQ when another queue's RedrivePolicy names it. An alarm fires on its first message.",
  );

  // Only open routes that touch no data are acknowledged: any other route without roles is reported.
  for (const route of apiRoutes) {
    if (route.allowedRoles.length > 0 || !hasNoAccess(route.access) || 'gateway' in route) continue;
    acknowledge(
      mustGet(stack.api.routes, route.name),
      'APIG4',
      `${route.method} ${route.path} (${routeSummaries[route.name]}) is public on purpose: its declaration names no roles, and ` +
        'its function is granted no table, key or bus, only the log group its concern shares, so it can return nothing but what is ' +
        'bundled into it. Every route that names roles has the Cognito JWT authorizer (asserted in stack.test.ts).',
    );
  }

  acknowledge(
    stack.api.staff,
    'COG8',
    'The Plus feature plan (threat protection: compromised-credential checks, adaptive authentication) is not ' +
      'bought: every staff account is created by an administrator and must sign in with a TOTP second factor ' +
      '(MFA required, COG2), so a leaked password alone opens nothing. Plus is billed per monthly active user; ' +
      'switching it on is `featurePlan: FeaturePlan.PLUS` in infra/api.ts if the service owner wants it.',
  );

  // How each function's failures are kept, for the Serverless pack's LambdaDLQ (which reads only the
  // legacy DeadLetterConfig of an asynchronous invocation).
  const onFailureDestination =
    "invoked asynchronously by its rule; its failures go to the route's dead-letter queue through an on-failure " +
    'destination (EventInvokeConfig), the successor of DeadLetterConfig, which the rule does not read';
  const functions: Array<{ fn: FosteringFunction; access: ResourceAccess; failures: string }> = [
    ...eventRoutes.map((route) => ({
      fn: mustGet(stack.events.projectors, route.name),
      access: route.access,
      failures: route.ordered
        ? "read from its FIFO queue (not invoked asynchronously); a failing message moves to the queue's dead-letter queue"
        : onFailureDestination,
    })),
    // An ordered route's router is granted no table or bus (only SendMessage on its FIFO queue, no wildcard).
    ...eventRoutes
      .filter((route) => route.ordered)
      .map((route) => ({ fn: mustGet(stack.events.routers, route.name), access: {}, failures: onFailureDestination })),
    ...apiRoutes.map((route) => ({
      fn: mustGet('gateway' in route ? stack.frontDoor.functions : stack.api.functions, route.name),
      access: route.access as ResourceAccess,
      failures: 'invoked synchronously by API Gateway, which answers the caller with the error; nothing is queued to lose',
    })),
    ...scheduledJobs.map((job) => ({ fn: mustGet(stack.jobs.functions, job.name), access: job.access, failures: onFailureDestination })),
    {
      fn: stack.outbox.publisher,
      access: OUTBOX_PUBLISHER_ACCESS,
      failures: 'invoked synchronously by the outbox pipe, whose DeadLetterConfig keeps the batches it gives up on',
    },
    {
      fn: stack.conversionCounts.keeper,
      access: CONVERSION_COUNTS_ACCESS,
      failures: "invoked by its stream's event source mapping, whose on-failure destination keeps the batches it gives up on",
    },
    ...(stack.api.tokenClaims
      ? [
          {
            fn: stack.api.tokenClaims,
            access: {},
            failures: 'invoked synchronously by Cognito at sign-in, which fails the sign-in on an error',
          },
        ]
      : []),
  ];
  for (const { fn, access, failures } of functions) acknowledgeFunction(stack, fn, access, failures);
  acknowledge(
    stack.outbox.pipeRole,
    'IAM5[Resource::*]',
    "dynamodb:ListStreams for the outbox pipe, which the EventBridge Pipes guide lists among a DynamoDB stream source's " +
      'permissions. The action has no resource-level permissions, so Resource must be `*`; it returns stream ARNs, ' +
      'never items. The pipe reads records (DescribeStream, GetShardIterator, GetRecords) on the one stream only; ' +
      'test/infra/nag.test.ts checks that no other action in the stack is allowed on `*`.',
  );
  acknowledge(
    stack.conversionCounts.keeper.role!,
    'IAM5[Resource::*]',
    "dynamodb:ListStreams, which CDK's DynamoDB event source grants the function beside reading the one stream " +
      '(DescribeStream, GetShardIterator, GetRecords on its ARN). The action has no resource-level permissions, so ' +
      'Resource must be `*`; it returns stream ARNs, never items. test/infra/nag.test.ts checks that no other action ' +
      'in the stack is allowed on `*`.',
  );
  for (const subscription of stack.alarms.topic.node.findAll().filter((c) => c instanceof CfnSubscription))
    acknowledge(
      subscription,
      'SNSRedrivePolicy',
      'The on-call address `-c alarmEmail` subscribes: a message SNS cannot deliver by email is not worth a queue of its ' +
        'own (nobody would read it sooner than the alarm itself, which stays in ALARM in CloudWatch until it clears). ' +
        'docs/runbook.md says to confirm the subscription after the first deployment.',
      SERVERLESS_PACK,
    );
  acknowledgeDashboardFindings(stack);
  acknowledgeFrontDoorFindings(stack);
  if (stack.acknowledgements) {
    const { mailer, deadLetterQueue } = stack.acknowledgements;
    acknowledgeDeadLetterQueue(deadLetterQueue, "the acknowledgements' event source mapping's on-failure destination points at it.");
    acknowledgeFunction(
      stack,
      mailer,
      ACKNOWLEDGEMENTS_ACCESS,
      "invoked by its stream's event source mapping, whose on-failure destination keeps the records it gives up on, with the reason",
    );
    acknowledge(
      deadLetterQueue,
      'SQS3',
      "This queue is itself a dead-letter queue: the acknowledgements' event source mapping sends it the stream " +
        'records it could not send mail for (its on-failure destination, with the reason). cdk-nag only recognises a ' +
        "queue as a DLQ when another queue's RedrivePolicy names it. An alarm fires on its first message.",
    );
    acknowledge(
      mailer.role!,
      'IAM5[Resource::*]',
      "dynamodb:ListStreams, which CDK's DynamoDB event source grants the function beside reading the one stream. " +
        'The action has no resource-level permissions, so Resource must be `*`; it returns stream ARNs, never items. ' +
        'Its SES permission names the one sender identity (asserted in test/infra/front-door.test.ts).',
    );
  }
}

/** The front door's REST API (infra/front-door.ts): public on purpose, behind AWS WAF. */
function acknowledgeFrontDoorFindings(stack: FosteringStack): void {
  const { restApi } = stack.frontDoor;
  for (const method of restApi.methods) {
    for (const rule of ['APIG4', 'COG4'])
      acknowledge(
        method,
        rule,
        `${method.httpMethod} ${method.resource.path} is the public's enquiry form, which takes no token by design: ` +
          'a member of the public has no account. It sits behind the AWS WAF web ACL (rate-based rules per address, ' +
          "AWS's managed rules), and its function limits posts per source address and per agency itself " +
          '(asserted in test/infra/front-door.test.ts and test/integration/front-door.test.ts).',
      );
  }
  if (!stack.frontDoor.tracingActive)
    acknowledge(
      restApi.deploymentStage,
      'APIGWXrayEnabled',
      'X-Ray tracing of the stage follows the functions: on with `-c tracing=true`, off otherwise, as for every ' +
        'function of the stack (a trace per request is billed, and the access log and the functions’ logs say what ' +
        'each request did).',
      SERVERLESS_PACK,
    );
  acknowledge(
    restApi.deploymentStage,
    'APIG6',
    "Execution logging needs API Gateway's account-wide CloudWatch role, which one stack should not create for " +
      'the whole account; and it would write request details (the enquirer’s name and email in the body) to ' +
      'logs. The stage keeps access logs without addresses or bodies, and the functions log route and status only.',
  );
}

function acknowledgeFunction(stack: FosteringStack, fn: FosteringFunction, access: ResourceAccess, failures: string): void {
  const runtime =
    'Node.js 22 is the runtime this service is built and tested for (esbuild target node22; the template test ' +
    'pins nodejs22.x); Lambda supports it until 30 April 2027, when the Node.js 22 LTS line ends. Moving to a newer ' +
    'runtime is a deliberate change with its own test run, not something to happen because CDK learned a new name.';
  acknowledgeRuntime(fn, runtime);
  acknowledge(fn, 'LambdaDLQ', `No DeadLetterConfig: this function is ${failures}.`, SERVERLESS_PACK);
  if (!fn.tracingActive)
    acknowledge(
      fn,
      'LambdaTracing',
      'X-Ray is off by default and on for every function with `cdk deploy -c tracing=true` (docs/deploy.md): traces are ' +
        "billed per trace, and the service's own logs carry each request's id and route. Turn it on to chase latency.",
      SERVERLESS_PACK,
    );

  const role = fn.role;
  if (!role) throw new Error(`${fn.node.path} has no role`);
  for (const key of tableAccessKeys) {
    const mode = access[key];
    if (!mode) continue;
    const definition = tableOfAccess[key];
    const table = stack.tables.of(definition);
    if (definition.indexes.length > 0) {
      acknowledge(
        role,
        `IAM5[Resource::${arnInFinding(table)}/index/*]`,
        `CDK's grant on the ${definition.id} table, which this function's access declares, covers the table's ` +
          "global secondary indexes. An index holds only projections of the same table's items, which the function " +
          "may already read, so the wildcard gives no data beyond the table grant; it names one table's indexes, not `*`.",
      );
    }
    if (mode === 'readWrite' && table.encryptionKey) {
      for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
        acknowledge(
          role,
          `IAM5[Action::${action}]`,
          `CDK's encrypt/decrypt grant on the ${definition.id} table's customer-managed key, which writing that table ` +
            `needs: ${action} covers only the variants of one KMS operation, and the statement's Resource is that one ` +
            "key's ARN, not `*`. Only functions whose access declares readWrite on this table get it.",
        );
      }
    }
  }
  if (fn.tracingActive) {
    acknowledge(
      role,
      'IAM5[Resource::*]',
      "Only with `-c tracing=true`: CDK's statement for X-Ray, xray:PutTraceSegments and xray:PutTelemetryRecords, " +
        'which support no resource-level permissions, so Resource must be `*`. test/infra/nag.test.ts checks that no ' +
        'other action in the stack is allowed on `*`.',
    );
  }
}

/** The dashboard's hosting (infra/dashboard.ts): CloudFront's defaults, and CDK's own BucketDeployment handler. */
function acknowledgeDashboardFindings(stack: FosteringStack): void {
  const { distribution, deployment, bucket } = stack.dashboard;
  acknowledge(
    distribution,
    'CFR2',
    "No AWS WAF web ACL: the distribution serves only the dashboard's static files (HTML, script, styles, config.json " +
      'naming public endpoints), GET and HEAD only, to Great Britain only (geo restriction). Every figure and household ' +
      'record comes from the HTTP API, which requires a Cognito JWT on every data route. A web ACL for CloudFront must ' +
      "live in us-east-1 and is billed monthly; add one with `webAclId` if the service's security policy asks for it.",
  );
  acknowledge(
    distribution,
    'CFR4',
    "The distribution uses CloudFront's default *.cloudfront.net certificate, for which CloudFront fixes the TLS " +
      'policy (minimumProtocolVersion can only be set with a custom domain and its own ACM certificate). Browsers that ' +
      'staff use negotiate TLS 1.2 or 1.3 regardless. With a council domain, set `domainNames`, `certificate` and ' +
      '`minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021` in infra/dashboard.ts.',
  );

  // CDK's BucketDeployment copies the built dashboard into its bucket at deploy time with a Lambda
  // function of CDK's own making (the AWS CLI in Python); it never runs while staff use the dashboard.
  const role = deployment.handlerRole;
  const handler = role.node.scope;
  if (!handler) throw new Error('the BucketDeployment handler role has no parent function');
  const cdksOwn =
    "This is CDK's BucketDeployment handler, whose Python runtime CDK itself chooses and moves forward with each " +
    'aws-cdk-lib release; the project pins aws-cdk-lib, so the runtime changes when the library is upgraded. It runs ' +
    "only during `cdk deploy`, to copy the dashboard's build into its bucket, and serves no request.";
  acknowledgeRuntime(handler, cdksOwn);
  acknowledge(
    handler,
    'LambdaDLQ',
    `${cdksOwn} CloudFormation invokes it as a custom resource and fails the deployment on an error.`,
    SERVERLESS_PACK,
  );
  acknowledge(handler, 'LambdaTracing', `${cdksOwn} There is no request of ours to trace in it.`, SERVERLESS_PACK);
  acknowledge(
    role,
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'CDK attaches AWSLambdaBasicExecutionRole to its BucketDeployment handler: it only lets the function create its ' +
      'log group and write its own logs (logs:CreateLogGroup, CreateLogStream, PutLogEvents). The handler runs only ' +
      'during deployment and is granted nothing else beyond the two buckets below.',
  );
  // Spelt as the synthesized policy spells it: the CLI gives the stack a concrete region (and, with
  // credentials, account), and cdk-nag then reports those, not the `AWS::Region` token.
  const stackOfBucket = Stack.of(bucket);
  const inFinding = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
  const assetBucket =
    `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-` +
    `${inFinding(stackOfBucket.account, 'AWS::AccountId')}-${inFinding(stackOfBucket.region, 'AWS::Region')}`;
  const wildcards: Array<[finding: string, why: string]> = [
    ['Action::s3:GetObject*', 'reads the packaged build (GetObject and its Acl/Version variants)'],
    ['Action::s3:GetBucket*', "reads the two buckets' location and settings"],
    ['Action::s3:List*', 'lists the build and what is already deployed, to copy only changes'],
    ['Action::s3:DeleteObject*', 'removes files a new build no longer has (prune)'],
    ['Action::s3:Abort*', 'aborts a multipart upload it started, if the copy fails'],
    [
      `Resource::arn:<AWS::Partition>:s3:::${assetBucket}/*`,
      'reads objects of the CDK bootstrap asset bucket, where `cdk deploy` uploaded the build',
    ],
    [
      `Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>/*`,
      "writes the objects of the dashboard's own bucket",
    ],
  ];
  for (const [finding, why] of wildcards) {
    acknowledge(
      role,
      `IAM5[${finding}]`,
      `CDK's grant to its BucketDeployment handler, which ${why}. The wildcard covers variants of one S3 operation or ` +
        'the objects of one named bucket, never `*`: the statements name only the CDK asset bucket (read) and the ' +
        'dashboard bucket (read and write). The handler runs only during deployment.',
    );
  }
}
