// Local stand-ins for Cognito tokens (docs/api.md, locally): HS256 JWTs with the claims Cognito would carry,
// signed and verified with one shared secret so that no identity provider is needed locally.
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Role } from '../shared/wiring/http-routes';
import { LOCAL_JWT_SECRET_ENV } from './settings';

export const LOCAL_JWT_AUDIENCE = 'fostering-api';
export const LOCAL_JWT_ISSUER = 'fostering-local';
export const DEFAULT_LOCAL_JWT_SECRET = 'local-dev-secret';

export function localJwtSecret(): string {
  return process.env[LOCAL_JWT_SECRET_ENV] || DEFAULT_LOCAL_JWT_SECRET;
}

export interface LocalTokenOptions {
  groups: readonly Role[];
  agencyId?: string;
  regionId?: string;
  /** Default 12 hours; negative gives an expired token (for tests). */
  expiresInSeconds?: number;
  secret?: string;
  subject?: string;
  /** The display name the staff directory keeps for the subject (Cognito's `name` attribute). */
  name?: string;
}

export async function signLocalToken(options: LocalTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  // token_use as Cognito's ID token has it: the API refuses any other token.
  const claims: JWTPayload = { 'cognito:groups': [...options.groups], token_use: 'id' };
  if (options.agencyId !== undefined) claims['custom:agencyId'] = options.agencyId;
  if (options.regionId !== undefined) claims['custom:regionId'] = options.regionId;
  if (options.name !== undefined) claims.name = options.name;
  // A named person keeps one subject across sign-ins (as a Cognito user does); otherwise a new one.
  const subject =
    options.subject ??
    (options.name
      ? `local-${createHash('sha256')
          .update(`${options.agencyId ?? options.regionId}\n${options.name}`)
          .digest('hex')
          .slice(0, 24)}`
      : `local-${randomUUID()}`);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setAudience(LOCAL_JWT_AUDIENCE)
    .setIssuer(LOCAL_JWT_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 12 * 60 * 60))
    .sign(secretKey(options.secret ?? localJwtSecret()));
}

/** Verifies as the HTTP API's JWT authorizer would: signature, `exp` required, audience and issuer. */
export async function verifyLocalToken(token: string, secret = localJwtSecret()): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, secretKey(secret), {
    algorithms: ['HS256'],
    audience: LOCAL_JWT_AUDIENCE,
    issuer: LOCAL_JWT_ISSUER,
    requiredClaims: ['exp'],
  });
  return payload;
}

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}
