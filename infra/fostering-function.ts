// Every Lambda of the service is a FosteringFunction: the defaults live here once, and
// `grantAccess` turns a route's `access` declaration into the narrowest grants plus env vars.
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { AccessMode, AuditAccess, ResourceAccess } from '../shared/wiring/event-routes';
import { EVENT_BUS_NAME_ENV, POWERTOOLS_SERVICE_NAME_ENV, SEARCH_KEY_SECRET_ENV, SERVICE_NAME } from '../shared/wiring/environment';
import { tableAccessKeys, tableOfAccess, type TableAccessKey } from './tables';
import { HOUSEHOLD_CLOCK_PREFIX } from '../shared/store/retention-clocks';

const repositoryRoot = path.resolve(__dirname, '..');
/** `cdk deploy -c tracing=true` turns on X-Ray for every function. */
export const TRACING_CONTEXT_KEY = 'tracing';

/** How every function is bundled (esbuild through NodejsFunction); bench/cold-start.ts bundles the same way. */
export const FOSTERING_BUNDLING = {
  format: OutputFormat.CJS,
  target: 'node22',
  minify: true,
  sourceMap: true,
  // Stack traces only need the mappings, not a second copy of the source.
  sourcesContent: false,
  logLevel: LogLevel.WARNING,
} as const satisfies NodejsFunctionProps['bundling'];

export interface FosteringFunctionProps extends Omit<
  NodejsFunctionProps,
  'entry' | 'handler' | 'runtime' | 'architecture' | 'logGroup' | 'role'
> {
  /** Handler entry under functions/, without extension (a route's `handler`); it exports `handler`. */
  handlerEntry: string;
}

/** The construct id of the log group a concern's functions share. */
export const FUNCTION_LOGS_ID = 'FunctionLogs';

/**
 * The log group of every function made in `scope` (the API's, the bus's, the jobs'…): one a concern
 * rather than one a function keeps the stack well within CloudFormation's 500 resources. Lambda names
 * each stream in a shared group `<date>/<function name>[<version>]<environment>`, so every function's
 * logs stay apart (filter on `@logStream` in Logs Insights).
 */
function functionLogsOf(scope: Construct): LogGroup {
  const existing = scope.node.tryFindChild(FUNCTION_LOGS_ID);
  if (existing instanceof LogGroup) return existing;
  return new LogGroup(scope, FUNCTION_LOGS_ID, { retention: RetentionDays.THREE_MONTHS });
}

export class FosteringFunction extends NodejsFunction {
  /** Whether X-Ray tracing is on (`-c tracing=true`). */
  readonly tracingActive: boolean;

  constructor(scope: Construct, id: string, { handlerEntry, environment, bundling, ...props }: FosteringFunctionProps) {
    const tracingContext = scope.node.tryGetContext(TRACING_CONTEXT_KEY);
    const tracingActive = tracingContext === true || tracingContext === 'true';
    // The log group and the role are created in the parent scope because `this` does not exist
    // before super().
    const logGroup = functionLogsOf(scope);
    // A role of its own that may write to its concern's log group and nowhere else: the default role's
    // AWSLambdaBasicExecutionRole would let it create and write to any log group in the account.
    const role = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${id} function`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: path.join(repositoryRoot, 'functions', `${handlerEntry}.ts`),
      handler: 'handler',
      // Explicit, so synth and tests behave the same from any working directory.
      projectRoot: repositoryRoot,
      depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: tracingActive ? Tracing.ACTIVE : Tracing.DISABLED,
      logGroup,
      role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [POWERTOOLS_SERVICE_NAME_ENV]: SERVICE_NAME,
        ...environment,
      },
      bundling: { ...FOSTERING_BUNDLING, ...bundling },
      ...props,
    });
    this.tracingActive = tracingActive;
  }
}

/** What a function may be granted: one table per `ResourceAccess` key, and the bus. */
export interface FosteringResources extends Record<TableAccessKey, ITable> {
  bus: IEventBus;
  /** The key search terms are hashed with (only the API's and the jobs' functions may be given it). */
  searchKey?: ISecret;
}

/** The DynamoDB actions of each access mode: the calls the store makes (shared/store/), and no others.
 *  CDK's grantReadData would add Scan, DescribeTable and the stream's reads; a transaction's parts are
 *  authorised as their own actions (ConditionCheckItem, PutItem, ...). */
export const TABLE_ACTIONS = {
  // A condition check is a read: a transaction that writes another table may check this one.
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
  // Reads, and its clocks' items alone written: the conditioned statement grantAccess adds.
  readAndClocks: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  // The audit's entries are only ever added: no function may update or delete one.
  append: ['dynamodb:PutItem'],
  appendAndRead: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem'],
} as const satisfies Record<AccessMode | AuditAccess, readonly string[]>;
/** What a customer-managed key's table needs of the key, as CDK's own table grants ask for it. */
const KEY_ACTIONS = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  readWrite: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
  readAndClocks: ['kms:Decrypt', 'kms:DescribeKey'],
  append: ['kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*'],
  appendAndRead: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*'],
} as const satisfies Record<AccessMode | AuditAccess, readonly string[]>;

/** Grants exactly what `access` declares and tells the function where to find it. */
export function grantAccess(fn: FosteringFunction, access: ResourceAccess, resources: FosteringResources): void {
  for (const key of tableAccessKeys) {
    const mode = access[key];
    if (!mode) continue;
    const table = resources[key];
    const scans = (access.scans as readonly string[] | undefined)?.includes(key) ?? false;
    table.grant(fn, ...TABLE_ACTIONS[mode], ...(scans ? ['dynamodb:Scan'] : []));
    table.encryptionKey?.grant(fn, ...KEY_ACTIONS[mode]);
    // The retention job's own work list in the projections table: items whose partition key names a clock, no other.
    if (mode === 'readAndClocks')
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${HOUSEHOLD_CLOCK_PREFIX}*`] } },
        }),
      );
    fn.addEnvironment(tableOfAccess[key].envVar, table.tableName);
  }
  if (access.publishes) {
    resources.bus.grantPutEventsTo(fn);
    fn.addEnvironment(EVENT_BUS_NAME_ENV, resources.bus.eventBusName);
  }
  if (access.searchKey) {
    if (!resources.searchKey) throw new Error(`${fn.node.id} needs the search key, and was not handed it`);
    resources.searchKey.grantRead(fn);
    fn.addEnvironment(SEARCH_KEY_SECRET_ENV, resources.searchKey.secretArn);
  }
}
