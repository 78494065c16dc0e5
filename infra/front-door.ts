// The front door: the public's enquiry form and its post (the routes declared with gateway
// 'front-door'), on a REST API of their own behind an AWS WAF web ACL with rate-based rules. An HTTP
// API cannot take a web ACL; a CloudFront distribution in front of it could, but its web ACL must live
// in us-east-1 (a second stack) and the functions would then see CloudFront's address, not the caller's
// (docs/decisions.md). The REST API hands the functions the caller's address in
// `requestContext.identity.sourceIp`, which the per-address limit in the function goes by.
import { Duration } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiRoutes, handlerOf } from '../shared/wiring/http-routes';
import { routeSummaries } from '../shared/wiring/route-summaries';
import { postLimits } from '../shared/domain/front-door';
import { FosteringFunction, grantAccess, TRACING_CONTEXT_KEY, type FosteringResources } from './fostering-function';

/** The routes the front door serves. */
export const frontDoorRoutes = apiRoutes.filter((route) => 'gateway' in route && route.gateway === 'front-door');

/** What AWS WAF holds back before a function runs, per caller address (rate-based rules count over a
 *  window of 60 to 600 seconds and take no limit below 10). The functions' own limits are the exact
 *  ones (5 posts in 10 minutes per address, 300 an hour per agency); these stop a flood before it
 *  costs an invocation. */
export const wafLimits = {
  /** Posts of the form from one address in ten minutes: twice the function's limit. */
  postsPerAddress: { limit: postLimits.perSource.posts * 2, evaluationWindowSec: 600 },
  /** Any request (the page included) from one address in five minutes. */
  requestsPerAddress: { limit: 300, evaluationWindowSec: 300 },
} as const;

export class FrontDoor extends Construct {
  readonly restApi: RestApi;
  readonly webAcl: CfnWebACL;
  readonly accessLogs: LogGroup;
  /** One per front-door route, keyed by the route's name. */
  readonly functions = new Map<string, FosteringFunction>();
  /** The form of an agency is at `${formUrl}/{agencyId}`. */
  readonly formUrl: string;
  /** X-Ray on the stage, as on the functions (`-c tracing=true`). */
  readonly tracingActive: boolean;

  constructor(scope: Construct, id: string, { resources }: { resources: FosteringResources }) {
    super(scope, id);
    const tracing = this.node.tryGetContext(TRACING_CONTEXT_KEY);
    this.tracingActive = tracing === true || tracing === 'true';
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.restApi = new RestApi(this, 'PublicApi', {
      description: "Fostering recruitment: the public's enquiry form",
      endpointTypes: [EndpointType.REGIONAL],
      // API Gateway's account-wide logging role is not this stack's to create.
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'public',
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        // No address, no body, no query: the log says what was asked and how it went.
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            resourcePath: '$context.resourcePath',
            httpMethod: '$context.httpMethod',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            wafStatus: '$context.waf.status',
            integrationError: '$context.integration.error',
          }),
        ),
        loggingLevel: MethodLoggingLevel.OFF,
        tracingEnabled: this.tracingActive,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
      },
    });
    // Checks the path's agency id is there before a function runs; the body is the function's to judge.
    const validator = new RequestValidator(this, 'Validator', {
      restApi: this.restApi,
      validateRequestParameters: true,
      // With no model on a method there is no body to check against: the function judges the body (and says why).
      validateRequestBody: true,
    });

    for (const route of frontDoorRoutes) {
      const fn = new FosteringFunction(this, route.name, {
        handlerEntry: handlerOf(route),
        description: routeSummaries[route.name],
        timeout: Duration.seconds(10),
      });
      grantAccess(fn, route.access, resources);
      this.restApi.root.resourceForPath(route.path).addMethod(route.method, new LambdaIntegration(fn), {
        authorizationType: AuthorizationType.NONE,
        requestValidator: validator,
        requestParameters: { 'method.request.path.agencyId': true },
      });
      this.functions.set(route.name, fn);
    }
    this.formUrl = this.restApi.urlForPath('/enquire');

    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: false, metricName });
    const managed = (priority: number, name: string, ruleActionOverrides?: CfnWebACL.RuleActionOverrideProperty[]) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(ruleActionOverrides ? { ruleActionOverrides } : {}) } },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      description: 'Rate-based rules per address, then AWS managed rules, for the public enquiry form',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('FrontDoor'),
      customResponseBodies: {
        tooMany: {
          contentType: 'APPLICATION_JSON',
          content: '{"error":{"code":"too_many_requests","message":"too many requests: try again later"}}',
        },
      },
      rules: [
        {
          name: 'PostsPerAddress',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany' } } },
          statement: {
            rateBasedStatement: {
              ...wafLimits.postsPerAddress,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { method: {} },
                  positionalConstraint: 'EXACTLY',
                  searchString: 'POST',
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('PostsPerAddress'),
        },
        {
          name: 'RequestsPerAddress',
          priority: 1,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany' } } },
          statement: { rateBasedStatement: { ...wafLimits.requestsPerAddress, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RequestsPerAddress'),
        },
        managed(2, 'AWSManagedRulesAmazonIpReputationList'),
        // The body size rule (8 KB) is only counted: the function answers a body over 16 KB with a 413 itself.
        managed(3, 'AWSManagedRulesCommonRuleSet', [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
        managed(4, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
