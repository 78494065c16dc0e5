// The dashboard as deployed (infra/dashboard.ts): a private bucket only CloudFront reads, served over
// HTTPS with security headers, a config.json naming the stack's own API and sign-in, and Cognito's
// hosted UI returning only to the dashboard. Read from the synthesised template and cloud assembly.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { IConstruct } from 'constructs';
import { dashboardBuild } from '../../infra/dashboard';
import { FosteringStack } from '../../infra/fostering-stack';

// CDK's built-in CloudFormation validation is left to the synth through the CLI, as in stack.test.ts.
const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FosteringStack(app, 'FosteringStack');
const template = Template.fromStack(stack);
const assembly = app.synth();
afterAll(() => rmSync(assembly.directory, { recursive: true, force: true }));

const idOf = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const { bucket, logs, distribution, headers } = stack.dashboard;
const distributionUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(distribution), 'DomainName'] }, '/']] };

const deniesPlainHttp = (bucketId: string) =>
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: bucketId },
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });

describe("the dashboard's files", () => {
  it('sit in an encrypted bucket that blocks every kind of public access and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: idOf(logs) } },
    });
    deniesPlainHttp(idOf(bucket));
    deniesPlainHttp(idOf(logs));
  });

  it("send the bucket's access logs under a bucket policy, no bucket using the legacy AccessControl ACL", () => {
    for (const [id, { Properties }] of Object.entries(template.findResources('AWS::S3::Bucket')))
      expect([id, Properties.AccessControl]).toEqual([id, undefined]);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: idOf(logs) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });

  it('may be read by this CloudFront distribution only, through origin access control', () => {
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: idOf(bucket) } } }));
    const allows = (policy?.Properties.PolicyDocument.Statement as Array<Record<string, any>>).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([{ Ref: idOf(distribution) }])] }),
          },
        },
      }),
    ]);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({ DomainName: { 'Fn::GetAtt': [idOf(bucket), 'RegionalDomainName'] }, OriginAccessControlId: Match.anyValue() }),
        ],
      }),
    });
  });
});

describe('the distribution', () => {
  it('serves index.html over HTTPS only, GET and HEAD, to Great Britain, logging every request', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          ResponseHeadersPolicyId: { Ref: idOf(headers) },
        }),
        Restrictions: { GeoRestriction: { RestrictionType: 'whitelist', Locations: ['GB'] } },
        Logging: Match.objectLike({ Bucket: { 'Fn::GetAtt': [idOf(logs), 'RegionalDomainName'] } }),
      }),
    });
  });

  it("lets the page talk only to API Gateway in the stack's region and its Cognito sign-in domain, and never be framed", () => {
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const security = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Not the API's own id: the API's CORS names this distribution, and naming the API here would be a cycle.
    expect(csp).toContain(`connect-src 'self' https://*.execute-api.`);
    expect(csp).toContain(`{"Ref":"${idOf(stack.api.signInDomain)}"},".auth.`);
    expect(csp).not.toContain('unsafe-');
    expect(security).toMatchObject({
      FrameOptions: { FrameOption: 'DENY', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
    });
  });
});

describe('the deployment', () => {
  const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));

  it('publishes the build, config.json and the OpenAPI document into the bucket, each marked no-cache so a new deploy shows at once', () => {
    expect(deployment?.Properties).toMatchObject({
      DestinationBucketName: { Ref: idOf(bucket) },
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(deployment?.Properties.SourceObjectKeys).toHaveLength(3);
    // Nothing asks CloudFront to invalidate: that would need cloudfront:CreateInvalidation on "*".
    expect(deployment?.Properties.DistributionId).toBeUndefined();
  });

  it('serves the OpenAPI document as a static file beside the page, with no function behind it', () => {
    const keys = (deployment?.Properties.SourceObjectKeys as string[]).map((key) => key.replace(/\.zip$/, ''));
    const openApiAsset = keys.map((hash) => join(assembly.directory, `asset.${hash}`, 'openapi.json')).filter(existsSync);
    expect(openApiAsset).toHaveLength(1);
    expect(JSON.parse(readFileSync(openApiAsset[0]!, 'utf8'))).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
    expect(Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey)).not.toContain(
      'GET /openapi.json',
    );
  });

  it("writes a config.json that names this stack's API URL, Cognito sign-in domain and web client", () => {
    const keys = (deployment?.Properties.SourceObjectKeys as string[]).map((key) => key.replace(/\.zip$/, ''));
    const configFile = keys.map((hash) => join(assembly.directory, `asset.${hash}`, 'config.json')).find(existsSync);
    expect(configFile).toBeDefined();
    const markers =
      (deployment?.Properties.SourceMarkers as Array<Record<string, unknown>>)[keys.findIndex((hash) => configFile?.includes(hash))] ?? {};
    // Deploy-time values are markers in the file, each replaced by what CloudFormation resolves.
    const resolved = readFileSync(configFile!, 'utf8').replace(
      /<<marker:0xbaba:\d+>>/g,
      (marker) => `{${JSON.stringify(markers[marker])}}`,
    );
    const config = JSON.parse(readFileSync(configFile!, 'utf8')) as { signIn: string };
    expect(config.signIn).toBe('cognito');
    expect(resolved).toContain(`"apiUrl":"https://{${JSON.stringify({ Ref: idOf(stack.api.httpApi) })}}.execute-api.`);
    expect(resolved).toContain(`"domain":"{${JSON.stringify({ Ref: idOf(stack.api.signInDomain) })}}.auth.`);
    expect(resolved).toContain(`"clientId":"{${JSON.stringify({ Ref: idOf(stack.api.client) })}}"`);
  });

  it('packages the esbuild build of dashboard when CDK bundles it', () => {
    // A stack of its own with bundling on, so that only the dashboard is built.
    const bundlingApp = new App();
    const scope = new Stack(bundlingApp, 'DashboardBuild');
    dashboardBuild().bind(scope, { handlerRole: new Role(scope, 'Deployer', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }) });
    const asset = scope.node.children.find((child): child is Asset => child.constructor.name === 'Asset');
    const staged = join(bundlingApp.outdir, asset!.assetPath);
    try {
      expect(readdirSync(staged).sort()).toEqual(['app.js', 'app.js.map', 'index.html', 'styles.css']);
      expect(readFileSync(join(staged, 'index.html'), 'utf8')).toContain('<script type="module" src="app.js">');
    } finally {
      rmSync(bundlingApp.outdir, { recursive: true, force: true });
    }
  });
});

describe("sign-in through Cognito's hosted UI", () => {
  it('has a domain on the staff user pool', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { UserPoolId: { Ref: idOf(stack.api.staff) } });
  });

  it('lets the web client use the authorization-code flow only (PKCE in the page, no implicit flow), back to the dashboard only', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [distributionUrl],
      LogoutURLs: [distributionUrl],
      GenerateSecret: Match.absent(),
    });
  });

  it("names the dashboard's address in the outputs", () => {
    template.hasOutput('DashboardUrl', { Value: distributionUrl });
  });
});
