// cdk-nag's AwsSolutions checks run on every synth (infra/app.ts) and in test/infra/nag.test.ts.
// A finding is either fixed in infra/ or acknowledged here, in this one file, with the reason it
// stays. Each acknowledgement names one rule on one construct (and, for IAM5, one finding:
// `AwsSolutions-IAM5[Action::kms:ReEncrypt*]` covers that action and nothing else), and is derived
// from the same declarations as the stack, so a new route or function gets exactly the
// acknowledgements its declared access explains, and anything else it brings is reported.
//
// cdk-nag 3 is a CDK validation plugin (v2's NagSuppressions are gone): findings are acknowledged
// with CDK's own `Validations.of(construct).acknowledge`. The id is written in CDK's namespaced form
// `AwsSolutions::<finding>` (the form the synth report suggests), so CDK does the suppressing and
// cdk.out/validation-report.json lists every acknowledged finding with its reason and where it was
// acknowledged: the audit trail. (The bare `AwsSolutions-X` form would be dropped inside cdk-nag
// and leave no trace in the report.)
import { Stack, Validations, type App, type CfnElement } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { apiRoutes } from '../shared/api/routes';
import { eventRoutes, type ResourceAccess } from '../shared/routes';
import type { FosteringFunction } from './fostering-function';
import type { FosteringStack } from './fostering-stack';
import { tableAccessKeys, tableOfAccess } from './tables';

/** Runs the AwsSolutions pack over every stack of the app when it is synthesised. */
export function checkWithCdkNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/** The plugin's name, which is the namespace of its findings in CDK's validation report. */
export const NAG_PACK = 'AwsSolutions';

function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${NAG_PACK}::${NAG_PACK}-${rule}`, reason });
}

function mustGet<V>(map: ReadonlyMap<string, V>, key: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`the stack has nothing named ${key}`);
  return value;
}

/** How cdk-nag spells the ARN of a table (`Fn::GetAtt [id, Arn]`) in a finding. */
const arnInFinding = (table: Table): string =>
  `<${Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement)}.Arn>`;

const hasNoAccess = (access: ResourceAccess): boolean => Object.values(access).every((value) => !value);

export function acknowledgeNagFindings(stack: FosteringStack): void {
  for (const queue of stack.events.deadLetterQueues.values()) {
    acknowledge(queue, 'SQS3',
      'This queue is itself a dead-letter queue: its event rule target\'s DeadLetterConfig and its projector\'s '
      + 'on-failure destination both point at it (asserted in test/infra/stack.test.ts). cdk-nag only recognises '
      + 'a queue as a DLQ when another queue\'s RedrivePolicy names it. Nothing consumes it automatically: an '
      + 'alarm fires on its first message and `npm run dead-letters` replays it, so a DLQ of its own would add nothing.');
  }

  // Only open routes that touch no data are acknowledged: any other route without roles is reported.
  for (const route of apiRoutes) {
    if (route.allowedRoles.length > 0 || !hasNoAccess(route.access)) continue;
    acknowledge(mustGet(stack.api.routes, route.name), 'APIG4',
      `${route.method} ${route.path} (${route.summary}) is public on purpose: its declaration names no roles, and `
      + 'its function is granted no table, key or bus, only its own log group, so it can return nothing but what is '
      + 'bundled into it. Every route that names roles has the Cognito JWT authorizer (asserted in stack.test.ts).');
  }

  acknowledge(stack.api.staff, 'COG8',
    'The Plus feature plan (threat protection: compromised-credential checks, adaptive authentication) is not '
    + 'bought: every staff account is created by an administrator and must sign in with a TOTP second factor '
    + '(MFA required, COG2), so a leaked password alone opens nothing. Plus is billed per monthly active user; '
    + 'switching it on is `featurePlan: FeaturePlan.PLUS` in infra/api.ts if the service owner wants it.');

  const functions = [
    ...eventRoutes.map((route) => ({ fn: mustGet(stack.events.projectors, route.name), access: route.access })),
    ...apiRoutes.map((route) => ({ fn: mustGet(stack.api.functions, route.name), access: route.access as ResourceAccess })),
  ];
  for (const { fn, access } of functions) acknowledgeFunction(stack, fn, access);
}

function acknowledgeFunction(stack: FosteringStack, fn: FosteringFunction, access: ResourceAccess): void {
  acknowledge(fn, 'L1',
    'Node.js 22 is the runtime this service is built and tested for (esbuild target node22; the template test '
    + 'pins nodejs22.x); Lambda supports it until 30 April 2027, when the Node.js 22 LTS line ends. Moving to a newer '
    + 'runtime is a deliberate change with its own test run, not something to happen because CDK learned a new name.');

  const role = fn.role;
  if (!role) throw new Error(`${fn.node.path} has no role`);
  for (const key of tableAccessKeys) {
    const mode = access[key];
    if (!mode) continue;
    const definition = tableOfAccess[key];
    const table = stack.tables.of(definition);
    if (definition.indexes.length > 0) {
      acknowledge(role, `IAM5[Resource::${arnInFinding(table)}/index/*]`,
        `CDK's grant on the ${definition.id} table, which this function's access declares, covers the table's `
        + 'global secondary indexes. An index holds only projections of the same table\'s items, which the function '
        + 'may already read, so the wildcard gives no data beyond the table grant; it names one table\'s indexes, not `*`.');
    }
    if (mode === 'readWrite' && table.encryptionKey) {
      for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
        acknowledge(role, `IAM5[Action::${action}]`,
          `CDK's encrypt/decrypt grant on the ${definition.id} table's customer-managed key, which writing that table `
          + `needs: ${action} covers only the variants of one KMS operation, and the statement's Resource is that one `
          + 'key\'s ARN, not `*`. Only functions whose access declares readWrite on this table get it.');
      }
    }
  }
  if (fn.tracingActive) {
    acknowledge(role, 'IAM5[Resource::*]',
      'Only with `-c tracing=true`: CDK\'s statement for X-Ray, xray:PutTraceSegments and xray:PutTelemetryRecords, '
      + 'which support no resource-level permissions, so Resource must be `*`. test/infra/nag.test.ts checks that no '
      + 'other action in the stack is allowed on `*`.');
  }
}
