// Who a federated user is, for the API: the agency, region and roles of the provider they signed in
// through (never an attribute a user or an app client can write). Used by the sign-in's token trigger.
import { roles, type Role } from '../wiring/roles';
import { PROVIDER_GROUPS_ATTRIBUTE, type SignInProvider } from '../wiring/identity-providers';

/** The claims of the ID token Cognito is about to issue, as the token trigger may change them. */
export interface TokenClaimsChange {
  claimsToAddOrOverride?: Record<string, string>;
  claimsToSuppress?: string[];
  /** Replaces `cognito:groups`; absent, the user's pool groups stand. */
  groupsToOverride?: Role[];
}

const AGENCY_CLAIM = 'custom:agencyId';
const REGION_CLAIM = 'custom:regionId';
const PROVIDER_GROUPS_CLAIM = `custom:${PROVIDER_GROUPS_ATTRIBUTE}`;

/** The provider named by Cognito's `identities` attribute, which only a federated sign-in sets. */
function providerNameOf(identities: string | undefined): string | undefined {
  if (!identities) return undefined;
  try {
    const parsed: unknown = JSON.parse(identities);
    const first = Array.isArray(parsed) ? (parsed[0] as { providerName?: unknown } | undefined) : undefined;
    return typeof first?.providerName === 'string' ? first.providerName : '';
  } catch {
    return ''; // federated, but unreadable: treated as an unknown provider
  }
}

/** A multi-valued claim mapped onto a string attribute arrives as JSON (`["a","b"]`) or as `[a, b]`. */
export function providerGroupsOf(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.map(String);
    if (typeof parsed === 'string') return [parsed];
  } catch {
    // not JSON: the bracketed list below
  }
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function tokenClaimsFor(userAttributes: Readonly<Record<string, string>>, providers: readonly SignInProvider[]): TokenClaimsChange {
  const providerName = providerNameOf(userAttributes.identities);
  // The pool's own accounts: an administrator set their agency, region and groups.
  if (providerName === undefined) return { claimsToSuppress: [PROVIDER_GROUPS_CLAIM] };
  const provider = providers.find((p) => p.id === providerName);
  // A provider no longer configured (or another council's): signed in, but no agency and no role.
  if (!provider) return { claimsToSuppress: [PROVIDER_GROUPS_CLAIM, AGENCY_CLAIM, REGION_CLAIM], groupsToOverride: [] };
  const mapped = providerGroupsOf(userAttributes[PROVIDER_GROUPS_CLAIM]).flatMap((group) => provider.groups[group] ?? []);
  return {
    claimsToAddOrOverride: { [AGENCY_CLAIM]: provider.agencyId, ...(provider.regionId && { [REGION_CLAIM]: provider.regionId }) },
    claimsToSuppress: [PROVIDER_GROUPS_CLAIM, ...(provider.regionId ? [] : [REGION_CLAIM])],
    groupsToOverride: roles.filter((role) => mapped.includes(role)),
  };
}
