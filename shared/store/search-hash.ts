// Search terms are stored as keyed hashes (HMAC-SHA256), never as readable names, emails or phone
// numbers: whoever reads the contacts table's keys learns nothing without the key, which lives in
// Secrets Manager in AWS (a local development key locally). Equal terms hash equally, so a search
// hashes its terms the same way and looks them up exactly.
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LOCAL_DYNAMODB_ENDPOINT_ENV, LOCAL_SEARCH_KEY_ENV, SEARCH_KEY_SECRET_ENV } from '../wiring/environment';

/** A term (`n:zoe`) as it is stored: its kind in clear, its value keyed-hashed (`n:Qm9…`). */
export type TermHasher = (term: string) => string;

/** The key of local runs and tests: their data is not real people's (docs/security.md, locally). */
export const DEFAULT_LOCAL_SEARCH_KEY = 'local-search-key';

export function hasherOf(key: string): TermHasher {
  return (term) => {
    const kind = term.slice(0, term.indexOf(':') + 1);
    return `${kind}${createHmac('sha256', key).update(term).digest('base64url')}`;
  };
}

/** Reads the key from the secret once. */
export async function hasherFromSecret(secretId: string): Promise<TermHasher> {
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!secret.SecretString) throw new Error(`the secret ${secretId} holds no string`);
  return hasherOf(secret.SecretString);
}

let cached: Promise<TermHasher> | undefined;

/** The hasher of this function: from its secret in AWS, the local key locally; loaded once per container. */
export function searchHasher(): Promise<TermHasher> {
  cached ??= (async () => {
    const secretId = process.env[SEARCH_KEY_SECRET_ENV];
    if (secretId) return hasherFromSecret(secretId);
    // Only a local run (pointed at DynamoDB Local) may fall back to the development key.
    if (!process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]) throw new Error(`${SEARCH_KEY_SECRET_ENV} is not set`);
    return hasherOf(process.env[LOCAL_SEARCH_KEY_ENV] || DEFAULT_LOCAL_SEARCH_KEY);
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
