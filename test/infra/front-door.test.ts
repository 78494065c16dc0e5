// The front door in the template: the public's routes on a REST API of their own, behind an AWS WAF
// web ACL with rate-based rules, each route served by its own function.
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FosteringStack } from '../../infra/fostering-stack';
import { frontDoorRoutes, wafLimits } from '../../infra/front-door';
import { postLimits } from '../../shared/domain/front-door';
import * as z from 'zod';
import { detailSchemas, detailTypes } from '../../shared/events/catalogue';

const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FosteringStack(app, 'FosteringStack');
const template = Template.fromStack(stack);
const idOf = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const resourcesOf = (type: string) => template.findResources(type) as Record<string, { Properties: Record<string, any> }>;

it('serves exactly the front door routes, without a token, each by its own function through a Lambda proxy', () => {
  expect(frontDoorRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /enquire/{agencyId}', 'POST /public/enquiries/{agencyId}']);
  const methods = Object.values(resourcesOf('AWS::ApiGateway::Method')).filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
  expect(methods).toHaveLength(frontDoorRoutes.length);
  for (const route of frontDoorRoutes) {
    const fnId = idOf(stack.frontDoor.functions.get(route.name)!);
    expect(
      methods.filter(
        (m) =>
          m.Properties.HttpMethod === route.method &&
          m.Properties.AuthorizationType === 'NONE' &&
          m.Properties.Integration.Type === 'AWS_PROXY' &&
          JSON.stringify(m.Properties.Integration.Uri).includes(`"${fnId}"`),
      ),
    ).toHaveLength(1);
  }
  // Not on the HTTP API as well, where no web ACL could guard them.
  const httpRouteKeys = Object.values(resourcesOf('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
  for (const route of frontDoorRoutes) expect(httpRouteKeys).not.toContain(`${route.method} ${route.path}`);
});

it("associates the web ACL with the REST API's stage", () => {
  template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
    ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    WebACLArn: { 'Fn::GetAtt': [stack.getLogicalId(stack.frontDoor.webAcl), 'Arn'] },
  });
  const [association] = Object.values(resourcesOf('AWS::WAFv2::WebACLAssociation'));
  expect(JSON.stringify(association?.Properties.ResourceArn)).toContain(idOf(stack.frontDoor.restApi.deploymentStage));
});

it('limits posts and requests per address with rate-based rules answering 429, then applies AWS managed rules', () => {
  const [acl, ...others] = Object.values(resourcesOf('AWS::WAFv2::WebACL'));
  expect(others).toEqual([]);
  expect(acl?.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
  // WAF takes no apostrophe in a description: CloudFormation would refuse the web ACL at deployment.
  expect(acl?.Properties.Description).toMatch(/^[a-zA-Z0-9=:#@/\-,.][a-zA-Z0-9+=:#@/\-,.\s]+[a-zA-Z0-9+=:#@/\-,.]{1,256}$/);
  const rules = acl!.Properties.Rules as Array<Record<string, any>>;
  const rateRule = (name: string) => rules.find((r) => r.Name === name)!;
  expect(rateRule('PostsPerAddress')).toMatchObject({
    Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
    Statement: {
      RateBasedStatement: {
        Limit: wafLimits.postsPerAddress.limit,
        EvaluationWindowSec: 600,
        AggregateKeyType: 'IP',
        ScopeDownStatement: { ByteMatchStatement: { FieldToMatch: { Method: {} }, SearchString: 'POST' } },
      },
    },
  });
  expect(rateRule('RequestsPerAddress')).toMatchObject({
    Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
    Statement: { RateBasedStatement: { Limit: wafLimits.requestsPerAddress.limit, AggregateKeyType: 'IP' } },
  });
  // WAF's floor (10) sits above the function's own exact limit, which it backs up, never undercuts.
  expect(wafLimits.postsPerAddress.limit).toBeGreaterThanOrEqual(Math.max(10, postLimits.perSource.posts));
  expect(rules.filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => r.Name)).toEqual([
    'AWSManagedRulesAmazonIpReputationList',
    'AWSManagedRulesCommonRuleSet',
    'AWSManagedRulesKnownBadInputsRuleSet',
  ]);
});

it('logs access without addresses or bodies', () => {
  const [stage] = Object.values(resourcesOf('AWS::ApiGateway::Stage'));
  const format = stage?.Properties.AccessLogSetting.Format as string;
  expect(format).toContain('$context.status');
  expect(format).not.toMatch(/sourceIp|requestBody|\$input/);
});

it('keeps the whole stack under 450 resources (CloudFormation takes 500 a stack)', () => {
  expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(450);
});

describe('the acknowledgements', () => {
  it('are sent only with -c acknowledgementSender: without it no function may use SES', () => {
    expect(stack.acknowledgements).toBeUndefined();
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('ses:');
  });

  const withSender = (identity?: string) => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: {
        'aws:cdk:bundling-stacks': [],
        acknowledgementSender: 'fostering@example.gov.uk',
        ...(identity ? { acknowledgementIdentity: identity } : {}),
      },
    });
    const mailing = new FosteringStack(app, 'FosteringStack', { env: { account: '123456789012', region: 'eu-west-2' } });
    return { mailing, template: Template.fromStack(mailing) };
  };

  it.each([
    ['the sender address', undefined, 'fostering@example.gov.uk'],
    ['its domain', 'example.gov.uk', 'example.gov.uk'],
  ])('may send as the verified identity (%s) and nothing else, from the stream of stored enquiries', (_, identity, expected) => {
    const { mailing, template: mailingTemplate } = withSender(identity);
    const mailerId = mailing.getLogicalId(mailing.acknowledgements!.mailer.node.defaultChild as CfnElement);
    const statements = Object.values(mailingTemplate.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }).Properties
          .PolicyDocument.Statement,
    );
    const sesStatements = statements.filter((s) => [s.Action].flat().some((action) => action.startsWith('ses:')));
    expect(sesStatements).toEqual([
      expect.objectContaining({
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:eu-west-2:123456789012:identity/${expected}`]] },
      }),
    ]);
    // The one function that holds it: the mailer, fed by new acknowledgement items, with a dead-letter queue.
    mailingTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: mailerId },
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: ['ACKNOWLEDGEMENT'] } } } }) }],
      },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    mailingTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ACKNOWLEDGEMENT_SENDER: 'fostering@example.gov.uk' }) },
    });
  });

  it('refuses an identity that is neither the sender nor its domain', () => {
    expect(() => withSender('elsewhere.example')).toThrow(/acknowledgementIdentity must be the sender's address or its domain/);
  });
});

it('puts no contact detail in any event schema, so neither the bus nor its archive carries one', () => {
  const personal = /^(name|email|phone|contact|address|preferredContact|consent|note|website|referrer)$/i;
  const fieldsOf = (schema: unknown): string[] => {
    const json = schema as { properties?: Record<string, unknown> };
    return Object.entries(json.properties ?? {}).flatMap(([key, value]) => [key, ...fieldsOf(value)]);
  };
  const found = detailTypes.flatMap((type) =>
    fieldsOf(z.toJSONSchema(detailSchemas[type], { io: 'input' }))
      .filter((field) => personal.test(field))
      .map((field) => `${type}.${field}`),
  );
  // A campaign's name is marketing's, not a person's.
  expect(found).toEqual(['CampaignLaunched.name']);
});
