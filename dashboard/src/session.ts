// Who is signed in. Locally (config.signIn "local") the person picks a role and an agency or region
// and the local runtime signs a token (POST /_local/token, which exists only there). In AWS the
// page signs in with Cognito's hosted UI: authorization code with PKCE, no client secret, and uses
// the ID token, which carries the custom:agencyId / custom:regionId claims the API reads.
import type { Role } from '../../shared/wiring/roles';
import { roleWords } from '../../shared/words';

export interface DashboardConfig {
  signIn: 'local' | 'cognito';
  /** The HTTP API's base URL; empty for the page's own origin (the local runtime). */
  apiUrl: string;
  cognito?: { domain: string; clientId: string };
  /** Where the front door's enquiry forms are (`<formUrl>/<agencyId>`); absent: this site's `/enquire`. */
  formUrl?: string;
}

export interface Session {
  token: string;
  groups: Role[];
  agencyId?: string;
  regionId?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const SESSION_KEY = 'fostering-dashboard-session';
const PKCE_KEY = 'fostering-dashboard-pkce';
const knownRoles = Object.keys(roleWords) as Role[];

export async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return (await response.json()) as DashboardConfig;
}

/** The claims the API reads, from the token's payload (the API verifies the signature, not the page). */
export function sessionFromToken(token: string): Session {
  const payload = JSON.parse(base64UrlDecode(token.split('.')[1] ?? '')) as Record<string, unknown>;
  const groupsClaim = payload['cognito:groups'];
  const groups = (Array.isArray(groupsClaim) ? groupsClaim : []).filter((g): g is Role => knownRoles.includes(g as Role));
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    token,
    groups,
    agencyId: text(payload['custom:agencyId']),
    regionId: text(payload['custom:regionId']),
    expiresAt: Number(payload.exp ?? 0),
  };
}

/** Kept for this browser tab only (sessionStorage): closing the tab signs out. */
export function storedSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  const session = JSON.parse(raw) as Session;
  if (session.expiresAt * 1000 <= Date.now() + 30_000) {
    sessionStorage.removeItem(SESSION_KEY);
    return undefined;
  }
  return session;
}

function keep(session: Session): Session {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export async function signInLocally(
  config: DashboardConfig,
  request: { role: Role; agencyId?: string; regionId?: string; name?: string },
): Promise<Session> {
  const response = await fetch(`${config.apiUrl.replace(/\/+$/, '')}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ groups: [request.role], agencyId: request.agencyId, regionId: request.regionId, name: request.name }),
  });
  const body = (await response.json()) as { token?: string; error?: { message?: string } };
  if (!response.ok || !body.token) throw new Error(body.error?.message ?? `sign-in failed (${response.status})`);
  return keep(sessionFromToken(body.token));
}

const redirectUri = (): string => `${location.origin}${location.pathname}`;

export async function startCognitoSignIn(config: DashboardConfig): Promise<void> {
  const cognito = requireCognito(config);
  const verifier = randomBase64Url(32);
  const state = randomBase64Url(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const challenge = base64UrlEncode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(`https://${cognito.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state,
    code_challenge_method: 'S256',
    code_challenge: challenge,
  }).toString();
  location.assign(url.toString());
}

/** On the way back from the hosted UI (`?code&state`): trades the code for tokens. */
export async function finishCognitoSignIn(config: DashboardConfig): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return undefined;
  history.replaceState(null, '', redirectUri() + location.hash);
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PKCE_KEY);
  if (!pending || pending.state !== params.get('state')) throw new Error('The sign-in did not start from this page. Please sign in again.');
  const cognito = requireCognito(config);
  const response = await fetch(`https://${cognito.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cognito.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  const tokens = (await response.json()) as { id_token?: string; error?: string };
  if (!response.ok || !tokens.id_token) throw new Error(`Sign-in failed: ${tokens.error ?? response.status}`);
  return keep(sessionFromToken(tokens.id_token));
}

/** Forgets the token in this tab (e.g. when the API says it has expired). */
export function forgetSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

export function signOut(config: DashboardConfig): void {
  forgetSession();
  if (config.signIn === 'cognito' && config.cognito) {
    const url = new URL(`https://${config.cognito.domain}/logout`);
    url.search = new URLSearchParams({ client_id: config.cognito.clientId, logout_uri: redirectUri() }).toString();
    location.assign(url.toString());
  }
}

function requireCognito(config: DashboardConfig): { domain: string; clientId: string } {
  if (!config.cognito) throw new Error('config.json names no Cognito sign-in');
  return config.cognito;
}

function randomBase64Url(bytes: number): string {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64UrlEncode(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function base64UrlDecode(text: string): string {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}
