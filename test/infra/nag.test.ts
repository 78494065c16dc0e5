// cdk-nag's AwsSolutions pack over the real FosteringStack, as infra/app.ts registers it; findings read
// from CDK's validation report (cdk-nag 3 adds no annotations), acknowledged ones listed apart.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { FosteringStack } from '../../infra/fostering-stack';
import { providersFileWith, entraProvider } from '../support/identity-providers';
import { NAG_PACKS, acknowledgeNagFindings, checkWithCdkNag } from '../../infra/nag-acknowledgements';

/** The parts of cdk.out/validation-report.json read here. */
interface ReportedViolation {
  ruleName: string;
  description: string;
  severity?: string;
  violatingConstructs: { constructPath?: string }[];
  acknowledgedId?: string;
  acknowledgedAt?: string;
  reason?: string;
}
interface ValidationReport {
  pluginReports: { pluginName: string; violations: ReportedViolation[]; suppressedViolations?: ReportedViolation[] }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) fs.rmSync(outdir, { recursive: true, force: true });
});

/** The real stack, as `npm run synth` builds it (bundling and CDK's own CloudFormation validation skipped, as in
 *  stack.test.ts: the validation is another plugin, whose report these tests set aside anyway). */
function fosteringApp({
  tracing,
  nag = true,
  env,
  context = {},
}: {
  tracing: boolean;
  nag?: boolean;
  env?: { account?: string; region?: string };
  context?: Record<string, unknown>;
}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-test-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], ...(tracing && { tracing: 'true' }), ...context },
  });
  const stack = new FosteringStack(app, 'FosteringStack', { env });
  if (nag) {
    checkWithCdkNag(app);
    acknowledgeNagFindings(stack);
  }
  return { app, stack, outdir };
}

/** Synthesises (which runs the plugin) and reads the report; a finding makes synth throw. */
function synthesise({ app, outdir }: { app: App; outdir: string }): { error?: Error; report: ValidationReport } {
  let error: Error | undefined;
  try {
    app.synth();
  } catch (thrown) {
    error = thrown as Error;
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { error, report };
}

const nagReportOf = (report: ValidationReport) =>
  report.pluginReports.filter((plugin) => (NAG_PACKS as readonly string[]).includes(plugin.pluginName));

/** A council's identity providers, as `-c identityProviders=<file>` names them. */
const providersFile = providersFileWith([entraProvider]);
const restored = JSON.stringify({
  projections: {
    tableName: 'projections-restored',
    streamArn: 'arn:aws:dynamodb:eu-west-2:123456789012:table/projections-restored/stream/2026-12-07T10:00:00.000',
  },
  contacts: { tableName: 'contacts-restored' },
});
const goingLive = { identityProviders: providersFile, alarmEmail: 'on-call@council-a.example' };

/** One line per construct a finding names, to print in a failure. */
const linesOf = (violations: ReportedViolation[]): string[] =>
  violations.flatMap((violation) =>
    violation.violatingConstructs.map(
      (construct) => `${violation.severity ?? 'error'} ${violation.ruleName} at ${construct.constructPath}: ${violation.description}`,
    ),
  );

// The CLI gives the stack a concrete region (us-east-1 when no AWS config names one), and an account
// when credentials are found: the acknowledgements must match the findings spelt with those too.
describe.each([
  ['as deployed', false, undefined, {}],
  ['with -c tracing=true', true, undefined, {}],
  ['in eu-west-2 with an account, as `cdk deploy` synthesises it', false, { account: '123456789012', region: 'eu-west-2' }, {}],
  ['with -c identityProviders and -c alarmEmail', false, undefined, goingLive],
  ['with -c restoredTables after a point-in-time restore', false, undefined, { restoredTables: restored }],
  [
    'sending acknowledgements (-c acknowledgementSender), in eu-west-2 with an account',
    false,
    { account: '123456789012', region: 'eu-west-2' },
    { acknowledgementSender: 'fostering@example.gov.uk', acknowledgementIdentity: 'example.gov.uk' },
  ],
] as const)('cdk-nag AwsSolutions and Serverless on the FosteringStack %s', (_, tracing, env, context) => {
  const checked = fosteringApp({ tracing, env, context });
  const { error, report } = synthesise(checked);
  const nagReport = nagReportOf(report);
  const unacknowledged = nagReport.flatMap((plugin) => plugin.violations);
  const acknowledged = nagReport.flatMap((plugin) => plugin.suppressedViolations ?? []);

  it('reports no error or warning that is not acknowledged in infra/nag-acknowledgements.ts', () => {
    expect(nagReport.map((plugin) => plugin.pluginName)).toEqual([...NAG_PACKS]); // both plugins ran
    expect(linesOf(unacknowledged)).toEqual([]);
  });

  it('lets the app synthesise with the plugin registered, as `npm run synth` does', () => {
    expect(error?.message).toBeUndefined();
  });

  it('gives every acknowledged finding a written reason', () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    const unexplained = acknowledged.filter((violation) => (violation.reason ?? '').trim().length < 80);
    expect(linesOf(unexplained)).toEqual([]);
  });

  it('acknowledges only findings the stack really has (no acknowledgement outlives its reason)', () => {
    const made = checked.app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
        // Ours only: CDK acknowledges some findings of other plugins itself (an S3 bucket with an ACL, CloudFormation-Validate::W3045).
        .filter((id) => NAG_PACKS.some((pack) => id.startsWith(`${pack}::`)))
        .map((id) => ({ id, at: construct.node.path })),
    );
    expect(made.length).toBeGreaterThan(0);
    const unused = made.filter(
      ({ id, at }) => !acknowledged.some((violation) => violation.acknowledgedId === id && violation.acknowledgedAt === at),
    );
    expect(unused.map(({ id, at }) => `${id} at ${at}`)).toEqual([]);
  });

  it(
    tracing
      ? 'allows Resource "*" only to dynamodb:ListStreams (the outbox pipe) and X-Ray\'s actions, none with resource-level permissions'
      : 'allows Resource "*" only to dynamodb:ListStreams, for the outbox pipe (the action has no resource-level permissions)',
    () => {
      // An app without the plugin, so that this holds or fails on its own.
      const { stack } = fosteringApp({ tracing, nag: false, env, context });
      const onEverything = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((statement) => [statement.Resource].flat().includes('*'))
        .flatMap((statement) => [statement.Action].flat());
      const allowed = ['dynamodb:ListStreams', ...(tracing ? ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] : [])];
      expect(onEverything).toContain('dynamodb:ListStreams');
      expect(onEverything.filter((action) => !allowed.includes(action))).toEqual([]);
    },
  );
});

describe('the acknowledgements', () => {
  it('cover only what they name: a queue added to the stack without SSL enforced fails synth', () => {
    const canary = fosteringApp({ tracing: false });
    new Queue(canary.stack.events, 'CanaryQueue', { enforceSSL: false });
    const { error, report } = synthesise(canary);
    expect(error).toBeDefined();
    const reported = nagReportOf(report)
      .flatMap((plugin) => plugin.violations)
      .flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`));
    expect(reported).toEqual(
      expect.arrayContaining([
        'AwsSolutions-SQS3 at FosteringStack/Events/CanaryQueue/Resource',
        'AwsSolutions-SQS4 at FosteringStack/Events/CanaryQueue/Resource',
      ]),
    );
  });
});
