// What a council's IT and its on-call engineer need before going live, read from the template:
// sign-in through the council's own identity provider, alarms that reach a person, throttles, the
// capacity kept for the projections, and a stack CloudFormation can still deploy.
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FosteringStack } from '../../infra/fostering-stack';
import { API_THROTTLE, ID_TOKEN_VALIDITY } from '../../infra/api';
import { PROJECTOR_RESERVED_CONCURRENCY } from '../../infra/event-bus';
import { OUTBOX_PUBLISHER_RESERVED_CONCURRENCY } from '../../infra/outbox';
import { STREAM_AGE_ALARM } from '../../infra/alarms';
import { SIGN_IN_PROVIDERS_ENV } from '../../shared/wiring/identity-providers';
import { eventRoutes } from '../../shared/wiring/event-routes';
import { ENTRA_RECRUITMENT_GROUP, entraProvider, providersFileWith } from '../support/identity-providers';

const ENTRA_GROUP = ENTRA_RECRUITMENT_GROUP;
const providersFile = providersFileWith([
  { ...entraProvider, regionId: 'north-east' },
  {
    id: 'adfs-council-b',
    agencyId: 'council-b',
    type: 'saml',
    metadataUrl: 'https://adfs.council-b.example/metadata.xml',
    groupsClaim: 'groups',
    groups: {},
  },
]);

const app = new App({
  builtinCloudFormationValidation: false,
  context: { 'aws:cdk:bundling-stacks': [], identityProviders: providersFile, alarmEmail: 'on-call@council-a.example' },
});
const stack = new FosteringStack(app, 'FosteringStack');
const template = Template.fromStack(stack);
const idOf = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
type Resource = { Type: string; Properties: Record<string, any> };
const resourcesOf = (type: string) => template.findResources(type) as Record<string, Resource>;
const alarm = (name: string): Resource => {
  const construct = stack.alarms.alarms.get(name);
  if (!construct) throw new Error(`no alarm ${name}`);
  return resourcesOf('AWS::CloudWatch::Alarm')[idOf(construct)]!;
};

describe("sign-in with the council's own accounts", () => {
  it('makes one user-pool provider per entry of the file, OIDC with its client secret read from Secrets Manager at deployment', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'entra-council-a',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        client_id: 'app-id',
        client_secret: '{{resolve:secretsmanager:fostering/entra-council-a:SecretString:::}}',
        oidc_issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      }),
      // The groups claim lands in providerGroups, for the token trigger; nothing lands in agencyId or regionId.
      AttributeMapping: Match.objectLike({ 'custom:providerGroups': 'groups' }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'adfs-council-b',
      ProviderType: 'SAML',
      ProviderDetails: Match.objectLike({ MetadataURL: 'https://adfs.council-b.example/metadata.xml' }),
    });
    for (const provider of Object.values(resourcesOf('AWS::Cognito::UserPoolIdentityProvider'))) {
      expect(Object.keys(provider.Properties.AttributeMapping)).not.toContain('custom:agencyId');
      expect(Object.keys(provider.Properties.AttributeMapping)).not.toContain('custom:regionId');
    }
  });

  it("offers the providers on the dashboard's client beside the pool's own accounts", () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO', 'entra-council-a', 'adfs-council-b'],
    });
  });

  it('sets agency, region and roles in the token trigger, which is told the providers without their secrets', () => {
    const trigger = resourcesOf('AWS::Lambda::Function')[idOf(stack.api.tokenClaims!)]!;
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGeneration: { 'Fn::GetAtt': [idOf(stack.api.tokenClaims!), 'Arn'] } },
    });
    const told = JSON.parse(trigger.Properties.Environment.Variables[SIGN_IN_PROVIDERS_ENV]);
    expect(told).toEqual([
      { id: 'entra-council-a', agencyId: 'council-a', regionId: 'north-east', groups: { [ENTRA_GROUP]: 'recruitment' } },
      { id: 'adfs-council-b', agencyId: 'council-b', groups: {} },
    ]);
    expect(JSON.stringify(trigger)).not.toContain('secretsmanager');
  });

  it("has no app client that can write a user's agency or region", () => {
    for (const client of Object.values(resourcesOf('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.WriteAttributes).toBeDefined();
      expect(client.Properties.WriteAttributes).not.toContain('custom:agencyId');
      expect(client.Properties.WriteAttributes).not.toContain('custom:regionId');
    }
  });

  it('issues ID tokens that last 15 minutes, so a disabled leaver loses access within them', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      IdTokenValidity: ID_TOKEN_VALIDITY.toMinutes(),
      TokenValidityUnits: Match.objectLike({ IdToken: 'minutes' }),
    });
  });
});

describe('the alarms', () => {
  it('reach the address `-c alarmEmail` names', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'on-call@council-a.example',
      TopicArn: { Ref: idOf(stack.alarms.topic) },
    });
  });

  it("watch the outbox pipe's failed, timed-out and target-failed executions", () => {
    const metrics = JSON.stringify(alarm('OutboxFailures').Properties.Metrics);
    for (const name of ['ExecutionFailed', 'ExecutionTimeout', 'TargetStageFailed']) expect(metrics).toContain(name);
    expect(metrics).toContain(`{"Ref":"${stack.getLogicalId(stack.outbox.pipe)}"}`);
  });

  it("watch the stream reader's iterator age, at an hour", () => {
    const { Properties } = alarm('ConversionCountsKeeperStreamAge');
    expect(Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Threshold: STREAM_AGE_ALARM.toMilliseconds() });
    expect(Properties.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: idOf(stack.conversionCounts.keeper) } }]);
  });

  it("watch the functions' errors and throttles, the API's 5xx rate and the retention job", () => {
    expect(alarm('LambdaErrors').Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 0 });
    expect(alarm('LambdaThrottles').Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Threshold: 0 });
    const api = JSON.stringify(alarm('ApiServerErrors').Properties.Metrics);
    expect(api).toContain('"MetricName":"5xx"');
    expect(api).toContain('"MetricName":"Count"');
    expect(alarm('RetentionJobFailed').Properties).toMatchObject({ MetricName: 'Errors', Threshold: 0 });
  });

  it('each tells the topic when it fires and when it clears', () => {
    for (const [name, construct] of stack.alarms.alarms) {
      const { Properties } = resourcesOf('AWS::CloudWatch::Alarm')[idOf(construct)]!;
      expect([name, Properties.AlarmActions, Properties.OKActions]).toEqual([
        name,
        [{ Ref: idOf(stack.alarms.topic) }],
        [{ Ref: idOf(stack.alarms.topic) }],
      ]);
    }
  });
});

describe('throttles and reserved capacity', () => {
  it("limit the API's default route rate and burst", () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      }),
    });
  });

  it('hold concurrent executions for the outbox publisher and every projector', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions[idOf(stack.outbox.publisher)]!.Properties.ReservedConcurrentExecutions).toBe(OUTBOX_PUBLISHER_RESERVED_CONCURRENCY);
    for (const route of eventRoutes)
      expect([route.name, functions[idOf(stack.events.projectors.get(route.name)!)]!.Properties.ReservedConcurrentExecutions]).toEqual([
        route.name,
        PROJECTOR_RESERVED_CONCURRENCY,
      ]);
    // An ordered projector's queue never has more pollers than it has executions.
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: PROJECTOR_RESERVED_CONCURRENCY },
    });
  });
});

describe('the stack', () => {
  it('stays well under CloudFormation’s 500 resources a stack, with every context set', () => {
    const count = Object.keys(template.toJSON().Resources).length;
    expect(count).toBeLessThan(450);
  });
});

describe('after a point-in-time restore (-c restoredTables)', () => {
  const streamArn = 'arn:aws:dynamodb:eu-west-2:123456789012:table/projections-restored/stream/2026-12-07T10:00:00.000';
  const restoredApp = new App({
    builtinCloudFormationValidation: false,
    context: {
      'aws:cdk:bundling-stacks': [],
      restoredTables: JSON.stringify({
        projections: { tableName: 'projections-restored', streamArn },
        contacts: { tableName: 'contacts-restored' },
      }),
    },
  });
  const restored = new FosteringStack(restoredApp, 'FosteringStack');
  const restoredTemplate = Template.fromStack(restored);
  const json = JSON.stringify(restoredTemplate.toJSON());

  it("uses the restored tables: the outbox pipe reads the restored table's stream, functions name and may use them", () => {
    restoredTemplate.hasResourceProperties('AWS::Pipes::Pipe', { Source: streamArn });
    expect(json).toContain(':table/projections-restored');
    expect(json).toContain(':table/contacts-restored');
    restoredTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PROJECTIONS_TABLE: 'projections-restored' }) },
    });
  });

  it("keeps only the idempotency and audit tables of its own (the others, retained, stay in the account), and the contacts table's key", () => {
    // The audit table holds the erasure ledger that undoes what a contacts restore brings back.
    expect(Object.keys(restoredTemplate.findResources('AWS::DynamoDB::Table'))).toHaveLength(2);
    expect(restoredTemplate.findResources('AWS::KMS::Key')).toEqual(template.findResources('AWS::KMS::Key'));
  });

  it('refuses a restored projections table without its stream, naming the field', () => {
    const withoutStream = new App({
      context: { 'aws:cdk:bundling-stacks': [], restoredTables: '{"projections":{"tableName":"p-restored"}}' },
    });
    expect(() => new FosteringStack(withoutStream, 'FosteringStack')).toThrow(/projections\.streamArn/);
  });
});
