// The dashboard, deployed: its build in a private S3 bucket that only CloudFront may read (origin
// access control), a config.json beside it naming the API and the Cognito hosted UI the page signs
// in with, and security headers on every response. The page calls the same HTTP API as every other client.
import { AssetHashType, DockerImage, Duration, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  GeoRestriction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildDashboard } from '../dashboard/build';
import { DASHBOARD_SOURCE_DIR } from '../dashboard/paths';
import type { FosteringApi } from './api';
import { OPENAPI_PATH, openApiDocument } from '../shared/api/openapi';

export interface DashboardSiteProps {
  api: FosteringApi;
  /** Where an agency's enquiry form is (`<formUrl>/<agencyId>`): marketing's tracking links start with it. */
  formUrl?: string;
  /** Countries CloudFront serves the page to: the service's staff work in Great Britain. */
  countries?: string[];
}

export class DashboardSite extends Construct {
  readonly bucket: Bucket;
  /** CloudFront's access logs and the site bucket's server access logs. */
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<id>.cloudfront.net/`: where staff open the dashboard, and where sign-in returns them. */
  readonly url: string;

  constructor(scope: Construct, id: string, { api, formUrl, countries = ['GB'] }: DashboardSiteProps) {
    super(scope, id);
    // S3's server access logs are delivered under a bucket policy, not the legacy LogDeliveryWrite ACL
    // (AWS's advice, and cfn-lint's); set here so that the template tests, which read no cdk.json, see it too.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const private_ = { blockPublicAccess: BlockPublicAccess.BLOCK_ALL, enforceSSL: true, encryption: BucketEncryption.S3_MANAGED };

    this.logs = new Bucket(this, 'AccessLogs', {
      ...private_,
      // CloudFront's standard logs are written with an ACL, so the bucket must accept ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    this.bucket = new Bucket(this, 'Files', { ...private_, serverAccessLogsBucket: this.logs, serverAccessLogsPrefix: 'files/' });

    const region = Stack.of(this).region;
    const signInHost = `${api.signInDomain.domainName}.auth.${region}.amazoncognito.com`;
    // The region's API Gateway hosts, not the API's own id: the API's CORS names this distribution, so
    // naming the API here would make a dependency cycle. The API still answers only this page's origin.
    const apiOrigin = `https://*.execute-api.${region}.${Stack.of(this).urlSuffix}`;
    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Fostering dashboard: the page may talk only to API Gateway in its region and its sign-in domain',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy:
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
            `connect-src 'self' ${apiOrigin} https://${signInHost}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
        },
        strictTransportSecurity: { override: true, accessControlMaxAge: Duration.days(365), includeSubdomains: true },
        contentTypeOptions: { override: true },
        frameOptions: { override: true, frameOption: HeadersFrameOption.DENY },
        referrerPolicy: { override: true, referrerPolicy: HeadersReferrerPolicy.NO_REFERRER },
      },
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Fostering recruitment dashboard',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: this.headers,
      },
      geoRestriction: GeoRestriction.allowlist(...countries),
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cdn/',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;
    api.acceptSignInAt(this.url, `https://${this.distribution.distributionDomainName}`);

    this.deployment = new BucketDeployment(this, 'Publish', {
      destinationBucket: this.bucket,
      sources: [
        dashboardBuild(),
        Source.jsonData('config.json', {
          signIn: 'cognito',
          apiUrl: api.stage.url,
          ...(formUrl ? { formUrl } : {}),
          cognito: { domain: signInHost, clientId: api.client.userPoolClientId },
        }),
        // The API's description, a static file: no function runs for whoever asks for it.
        Source.jsonData(OPENAPI_PATH.slice(1), openApiDocument()),
      ],
      // No CloudFront invalidation (BucketDeployment would need cloudfront:CreateInvalidation on "*"): every
      // file says no-cache instead, so CloudFront and browsers revalidate with S3's ETag and a deploy shows at once.
      cacheControl: [CacheControl.noCache()],
    });
  }
}

/**
 * The same esbuild build as `npm run build:dashboard`, run by CDK when it packages the stack, so the
 * deployed page is always built from the current source (template tests skip it, as they skip the
 * functions' bundling). The Docker image is only the fallback CDK asks for; esbuild runs locally.
 */
export function dashboardBuild(): ISource {
  return Source.asset(DASHBOARD_SOURCE_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
      local: {
        tryBundle: (outputDir) => {
          buildDashboard(outputDir);
          return true;
        },
      },
    },
  });
}
