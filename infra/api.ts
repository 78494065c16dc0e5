// The HTTP API and who may call it: a Cognito user pool whose groups are the roles (docs/rules.md), a JWT
// authorizer on every route that names roles, and one Lambda per entry of `apiRoutes`.
import { Duration, Lazy, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  LogGroupLogDestination,
  type HttpRoute,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  Mfa,
  OAuthScope,
  ProviderAttribute,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolIdentityProviderOidc,
  UserPoolIdentityProviderSaml,
  UserPoolIdentityProviderSamlMetadata,
  UserPoolOperation,
  type UserPoolDomain,
  type IUserPoolIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiRoutes, handlerOf, roles } from '../shared/wiring/http-routes';
import {
  PROVIDER_GROUPS_ATTRIBUTE,
  SIGN_IN_PROVIDERS_ENV,
  signInProviderOf,
  type IdentityProvider,
} from '../shared/wiring/identity-providers';
import { routeSummaries } from '../shared/wiring/route-summaries';
import { FosteringFunction, grantAccess, type FosteringResources } from './fostering-function';

export interface FosteringApiProps {
  resources: FosteringResources;
  /** Origins of the web clients CORS allows; absent, only the dashboard's own (registered by acceptSignInAt). */
  allowedOrigins?: string[];
  /** The councils' own identity providers (`-c identityProviders=<file.json>`). */
  identityProviders?: readonly IdentityProvider[];
}

/** Requests a second across all routes, and the burst above it, before API Gateway answers 429. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;
/** How long an ID token lasts: how long a leaver who is signed in keeps access after being disabled. */
export const ID_TOKEN_VALIDITY = Duration.minutes(15);

export class FosteringApi extends Construct {
  readonly httpApi: HttpApi;
  /** The `$default` stage, made here rather than by HttpApi so that it can log access. */
  readonly stage: HttpStage;
  readonly staff: UserPool;
  readonly client: UserPoolClient;
  /** Cognito's hosted sign-in pages, which the dashboard sends staff to. */
  readonly signInDomain: UserPoolDomain;
  /** Where the hosted UI may return people after sign-in and sign-out (the dashboard's address). */
  private readonly signInUrls: string[] = [];
  private readonly dashboardOrigins: string[] = [];
  readonly accessLogs: LogGroup;
  /** One per API route, keyed by the route's name. */
  readonly functions = new Map<string, FosteringFunction>();
  /** The HTTP API route of each API route, keyed by the route's name. */
  readonly routes = new Map<string, HttpRoute>();

  /** One per entry of `-c identityProviders`, keyed by its id. */
  readonly identityProviders = new Map<string, IUserPoolIdentityProvider>();
  /** Sets a federated user's agency, region and roles (only made when there are providers). */
  readonly tokenClaims?: FosteringFunction;

  constructor(scope: Construct, id: string, { resources, allowedOrigins, identityProviders = [] }: FosteringApiProps) {
    super(scope, id);

    this.staff = new UserPool(this, 'Staff', {
      // Staff accounts are created by an administrator, who sets the agency and region.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: {
        agencyId: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
        regionId: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
        // The provider's groups, mapped at each federated sign-in; read only by the token trigger.
        ...(identityProviders.length > 0 && { [PROVIDER_GROUPS_ATTRIBUTE]: new StringAttribute({ maxLen: 2048, mutable: true }) }),
      },
      // Every class spelt out: CDK writes only what is set here, and a class the template leaves out is not required.
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      // Staff see prospective carers' contact details: a password alone is not enough.
      // Each user sets up an authenticator app at first sign-in. (A council's own provider signs its
      // staff in with its own second factor: Cognito's MFA applies to the pool's own accounts only.)
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of roles) this.staff.addGroup(`${role}Group`, { groupName: role });
    // The prefix must be unique in the region across all accounts: the stack name and account make it so.
    const { stackName, account } = Stack.of(this);
    this.signInDomain = this.staff.addDomain('SignIn', { cognitoDomain: { domainPrefix: `${stackName.toLowerCase()}-${account}` } });

    for (const provider of identityProviders) this.identityProviders.set(provider.id, this.councilProvider(provider));
    if (identityProviders.length > 0) {
      this.tokenClaims = new FosteringFunction(this, 'SignInTokenClaims', {
        handlerEntry: 'sign-in/token-claims',
        description: "Sets a council user's agency, region and roles from the identity provider they signed in through",
        environment: { [SIGN_IN_PROVIDERS_ENV]: JSON.stringify(identityProviders.map(signInProviderOf)) },
      });
      this.staff.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, this.tokenClaims);
    }

    this.client = this.staff.addClient('WebClient', {
      authFlows: { userSrp: true },
      // The dashboard signs in through the hosted UI: authorization code with PKCE (no secret in a web
      // page, no implicit flow), returning only to the URLs the dashboard registers (acceptSignInAt).
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: Lazy.list({ produce: () => this.signInUrls }),
        logoutUrls: Lazy.list({ produce: () => this.signInUrls }),
      },
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...identityProviders.map((provider) => UserPoolClientIdentityProvider.custom(provider.id)),
      ],
      preventUserExistenceErrors: true,
      // Never agencyId or regionId: a user could rewrite their own and read another agency's data. A
      // provider's mapped attributes must be writable, so providerGroups is; the token trigger honours it
      // only for a federated user, whose hosted-UI tokens lack the scope that lets them rewrite it.
      writeAttributes: new ClientAttributes()
        .withStandardAttributes({ fullname: true, ...(identityProviders.length > 0 && { email: true }) })
        .withCustomAttributes(...(identityProviders.length > 0 ? [PROVIDER_GROUPS_ATTRIBUTE] : [])),
      idTokenValidity: ID_TOKEN_VALIDITY,
      accessTokenValidity: ID_TOKEN_VALIDITY,
    });
    for (const provider of this.identityProviders.values()) this.client.node.addDependency(provider);

    // The ID token carries the custom claims, and its `aud` is the client id. (The pool's ProviderURL
    // attribute lacks the https:// that the token's `iss` has, so the issuer is spelt out.)
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.staff.userPoolId}`;
    const authorizer = new HttpJwtAuthorizer('StaffJwt', issuer, {
      jwtAudience: [this.client.userPoolClientId],
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Fostering recruitment: commands and metrics',
      defaultAuthorizer: authorizer,
      corsPreflight: {
        // Resolved at synthesis: the dashboard's distribution is made after the API.
        allowOrigins: allowedOrigins ?? Lazy.list({ produce: () => this.dashboardOrigins }),
        allowMethods: [...new Set(apiRoutes.map((route) => CorsHttpMethod[route.method]))],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
      createDefaultStage: false,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            // Who acted, not who they are: the subject id only, no e-mail or name.
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    // The front door's routes have a REST API of their own, behind AWS WAF (infra/front-door.ts).
    for (const route of apiRoutes.filter((r) => !('gateway' in r))) {
      const fn = new FosteringFunction(this, route.name, {
        handlerEntry: handlerOf(route),
        description: routeSummaries[route.name],
      });
      grantAccess(fn, route.access, resources);
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn),
        // Secure by default: only a route that names no roles is open.
        ...(route.allowedRoles.length === 0 && { authorizer: new HttpNoneAuthorizer() }),
      });
      if (httpRoute) this.routes.set(route.name, httpRoute);
      this.functions.set(route.name, fn);
    }
  }

  /** A council's identity provider, its groups claim mapped for the token trigger. */
  private councilProvider(provider: IdentityProvider): IUserPoolIdentityProvider {
    // Keyed by the pool attribute's full name: CDK passes custom keys through as written.
    const groups = { custom: { [`custom:${PROVIDER_GROUPS_ATTRIBUTE}`]: ProviderAttribute.other(provider.groupsClaim) } };
    const id = `Provider-${provider.id}`;
    if (provider.type === 'oidc')
      return new UserPoolIdentityProviderOidc(this, id, {
        userPool: this.staff,
        name: provider.id,
        issuerUrl: provider.issuer,
        clientId: provider.clientId,
        // A dynamic reference: CloudFormation reads the secret at deployment; it is in no file or template.
        clientSecret: SecretValue.secretsManager(provider.clientSecretName).unsafeUnwrap(),
        scopes: ['openid', 'email', 'profile'],
        attributeMapping: { email: ProviderAttribute.other('email'), fullname: ProviderAttribute.other('name'), ...groups },
      });
    return new UserPoolIdentityProviderSaml(this, id, {
      userPool: this.staff,
      name: provider.id,
      metadata: UserPoolIdentityProviderSamlMetadata.url(provider.metadataUrl),
      attributeMapping: {
        email: ProviderAttribute.other('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'),
        fullname: ProviderAttribute.other('http://schemas.microsoft.com/identity/claims/displayname'),
        ...groups,
      },
    });
  }

  /** Lets the hosted UI return people to `url` after signing in or out. */
  acceptSignInAt(url: string, origin: string): void {
    this.signInUrls.push(url);
    this.dashboardOrigins.push(origin);
  }
}
