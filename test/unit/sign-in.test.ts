// The sign-in's token trigger: a council's staff get their agency, region and roles from the identity
// provider they signed in through and its groups, never from an attribute they could write.
import { providerGroupsOf, tokenClaimsFor } from '../../shared/domain/sign-in';
import { readIdentityProviders, signInProviderOf, type SignInProvider } from '../../shared/wiring/identity-providers';
import { ENTRA_RECRUITMENT_GROUP, entraProvider, providersFileWith } from '../support/identity-providers';

// Entra ID's groups claim lists group object ids.
const RECRUITMENT_GROUP = ENTRA_RECRUITMENT_GROUP;
const MANAGERS_GROUP = '7a2d4c6e-2222-4f1a-8b3c-1d2e3f4a5b6c';
const COUNCIL_A: SignInProvider = {
  id: 'entra-council-a',
  agencyId: 'council-a',
  regionId: 'north-east',
  groups: { [RECRUITMENT_GROUP]: 'recruitment', [MANAGERS_GROUP]: 'manager' },
};
const COUNCIL_B: SignInProvider = { id: 'entra-council-b', agencyId: 'council-b', groups: { [RECRUITMENT_GROUP]: 'recruitment' } };

/** The user attributes Cognito hands the trigger after an Entra ID sign-in through `provider`. */
const entraUser = (providerName: string, groups: string) => ({
  sub: '0e7a4c1e-aaaa-4a4a-9a9a-123456789abc',
  email: 'jo.bloggs@council-a.gov.uk',
  'cognito:user_status': 'EXTERNAL_PROVIDER',
  identities: JSON.stringify([
    { userId: 'oid-1', providerName, providerType: 'OIDC', issuer: null, primary: 'true', dateCreated: '1765000000000' },
  ]),
  'custom:providerGroups': groups,
  // What a user might have written for themselves: ignored.
  'custom:agencyId': 'council-b',
});

describe('a user who signs in through a council identity provider', () => {
  it("gets the provider's agency and region, and the roles its mapped groups give", () => {
    const change = tokenClaimsFor(entraUser('entra-council-a', `[${RECRUITMENT_GROUP}, ${MANAGERS_GROUP}, other-group]`), [
      COUNCIL_A,
      COUNCIL_B,
    ]);
    expect(change).toEqual({
      claimsToAddOrOverride: { 'custom:agencyId': 'council-a', 'custom:regionId': 'north-east' },
      claimsToSuppress: ['custom:providerGroups'],
      groupsToOverride: ['recruitment', 'manager'],
    });
  });

  it('gets no role when none of their groups is mapped (still signed in, so the API answers 403)', () => {
    const change = tokenClaimsFor(entraUser('entra-council-a', JSON.stringify(['some-other-group'])), [COUNCIL_A]);
    expect(change.groupsToOverride).toEqual([]);
    expect(change.claimsToAddOrOverride).toEqual({ 'custom:agencyId': 'council-a', 'custom:regionId': 'north-east' });
  });

  it("cannot take a role through a group mapped only at another council's provider", () => {
    const change = tokenClaimsFor(entraUser('entra-council-b', `[${MANAGERS_GROUP}]`), [COUNCIL_A, COUNCIL_B]);
    expect(change.groupsToOverride).toEqual([]);
    expect(change.claimsToAddOrOverride).toEqual({ 'custom:agencyId': 'council-b' });
    // No region configured for council B: any region claim is dropped.
    expect(change.claimsToSuppress).toContain('custom:regionId');
  });

  it("from another tenant (a provider not in the deployment's file) gets no agency, region or role", () => {
    const change = tokenClaimsFor(entraUser('entra-elsewhere', `[${RECRUITMENT_GROUP}]`), [COUNCIL_A]);
    expect(change).toEqual({
      claimsToSuppress: ['custom:providerGroups', 'custom:agencyId', 'custom:regionId'],
      groupsToOverride: [],
    });
  });
});

describe("a user of the pool's own accounts", () => {
  it('keeps the agency, region and groups an administrator set; a providerGroups value they wrote is dropped', () => {
    const change = tokenClaimsFor({ sub: 'x', 'custom:agencyId': 'council-a', 'custom:providerGroups': `[${MANAGERS_GROUP}]` }, [
      COUNCIL_A,
    ]);
    expect(change).toEqual({ claimsToSuppress: ['custom:providerGroups'] });
  });
});

describe('the groups claim as Cognito stores it', () => {
  it.each([
    ['["a","b"]', ['a', 'b']],
    ['[a, b]', ['a', 'b']],
    ['a', ['a']],
    ['', []],
  ])('%j reads as %j', (value, groups) => expect(providerGroupsOf(value)).toEqual(groups));
});

describe('the identityProviders file', () => {
  const fileWith = providersFileWith;
  const entra = entraProvider;

  it('is read, and the trigger is given each provider without its issuer, client or secret name', () => {
    const [provider] = readIdentityProviders(fileWith([entra]));
    expect(signInProviderOf(provider!)).toEqual({
      id: 'entra-council-a',
      agencyId: 'council-a',
      regionId: undefined,
      groups: entra.groups,
    });
  });

  it('stops the deployment naming every bad field', () => {
    const bad = { ...entra, clientSecretName: undefined, groups: { g: 'superuser' } };
    const saml = { id: 'adfs', agencyId: 'council-b', type: 'saml', groupsClaim: 'groups', groups: {} };
    expect(() => readIdentityProviders(fileWith([bad, saml]))).toThrow(/0\.groups\.g: .*0\.clientSecretName: .*1\.metadataUrl: /);
    expect(() => readIdentityProviders(fileWith([entra, entra]))).toThrow(/1\.id: entra-council-a is named twice/);
  });
});
