// cdk-nag's AwsSolutions findings that stay, each acknowledged here with its reason: one rule on one
// construct, derived from the same declarations as the stack, so anything new is reported.
import { DefaultStackSynthesizer, Stack, Token, Validations, type App, type CfnElement } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
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

/** Runs the AwsSolutions pack over every stack of the app when it is synthesised. */
export function checkWithCdkNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/** The plugin's name, which is the namespace of its findings in CDK's validation report. */
export const NAG_PACK = 'AwsSolutions';

/** CDK's own `Validations.of(construct).acknowledge` (cdk-nag 3 is a validation plugin), with the id
 *  in CDK's namespaced form `AwsSolutions::<finding>`, so cdk.out/validation-report.json lists every
 *  acknowledged finding with its reason (the bare `AwsSolutions-X` would leave no trace there). For
 *  IAM5 the rule names one finding: `IAM5[Action::kms:ReEncrypt*]` covers that action alone. */
function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${NAG_PACK}::${NAG_PACK}-${rule}`, reason });
}

function mustGet<V>(map: ReadonlyMap<string, V>, key: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`the stack has nothing named ${key}`);
  return value;
}

/** How cdk-nag spells the ARN of a table (`Fn::GetAtt [id, Arn]`) in a finding. */
const arnInFinding = (table: Table): string => `<${Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement)}.Arn>`;

const hasNoAccess = (access: ResourceAccess): boolean => Object.values(access).every((value) => !value);

export function acknowledgeNagFindings(stack: FosteringStack): void {
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
        'its function is granted no table, key or bus, only its own log group, so it can return nothing but what is ' +
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

  const functions = [
    ...eventRoutes.map((route) => ({ fn: mustGet(stack.events.projectors, route.name), access: route.access })),
    // An ordered route's router is granted no table or bus (only SendMessage on its FIFO queue, no wildcard).
    ...eventRoutes.filter((route) => route.ordered).map((route) => ({ fn: mustGet(stack.events.routers, route.name), access: {} })),
    ...apiRoutes.map((route) => ({
      fn: mustGet('gateway' in route ? stack.frontDoor.functions : stack.api.functions, route.name),
      access: route.access as ResourceAccess,
    })),
    ...scheduledJobs.map((job) => ({ fn: mustGet(stack.jobs.functions, job.name), access: job.access })),
    { fn: stack.outbox.publisher, access: OUTBOX_PUBLISHER_ACCESS },
    { fn: stack.conversionCounts.keeper, access: CONVERSION_COUNTS_ACCESS },
  ];
  for (const { fn, access } of functions) acknowledgeFunction(stack, fn, access);
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
  acknowledgeDashboardFindings(stack);
  acknowledgeFrontDoorFindings(stack);
  if (stack.acknowledgements) {
    const { mailer, deadLetterQueue } = stack.acknowledgements;
    acknowledgeFunction(stack, mailer, ACKNOWLEDGEMENTS_ACCESS);
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
  acknowledge(
    restApi.deploymentStage,
    'APIG6',
    "Execution logging needs API Gateway's account-wide CloudWatch role, which one stack should not create for " +
      'the whole account; and it would write request details (the enquirer’s name and email in the body) to ' +
      'logs. The stage keeps access logs without addresses or bodies, and the functions log route and status only.',
  );
}

function acknowledgeFunction(stack: FosteringStack, fn: FosteringFunction, access: ResourceAccess): void {
  acknowledge(
    fn,
    'L1',
    'Node.js 22 is the runtime this service is built and tested for (esbuild target node22; the template test ' +
      'pins nodejs22.x); Lambda supports it until 30 April 2027, when the Node.js 22 LTS line ends. Moving to a newer ' +
      'runtime is a deliberate change with its own test run, not something to happen because CDK learned a new name.',
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
  acknowledge(
    handler,
    'L1',
    "This is CDK's BucketDeployment handler, whose Python runtime CDK itself chooses and moves forward with each " +
      'aws-cdk-lib release; the project pins aws-cdk-lib, so the runtime changes when the library is upgraded. It runs ' +
      "only during `cdk deploy`, to copy the dashboard's build into its bucket, and serves no request.",
  );
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
