// The councils' own identity providers (`cdk deploy -c identityProviders=<file.json>`), declared once:
// the stack makes one user-pool provider from each entry, and the sign-in's token trigger reads the
// same entries (without their secrets) to set a user's agency, region and roles.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { roles } from './roles';

/** The context key naming the file. */
export const IDENTITY_PROVIDERS_CONTEXT_KEY = 'identityProviders';
/** The token trigger's view of the providers: JSON of `SignInProvider[]`. */
export const SIGN_IN_PROVIDERS_ENV = 'SIGN_IN_PROVIDERS';
/** The user-pool attribute the provider's groups claim is mapped onto; read only by the token trigger. */
export const PROVIDER_GROUPS_ATTRIBUTE = 'providerGroups';

const providerCommon = {
  // Cognito's provider name: it appears in the user's `identities` attribute after sign-in.
  id: z.string().regex(/^[A-Za-z0-9-]{3,32}$/, '3–32 letters, digits or hyphens'),
  agencyId: z.string().min(1),
  regionId: z.string().min(1).optional(),
  /** The provider's claim (or SAML attribute) listing the user's groups, e.g. Entra ID's `groups`. */
  groupsClaim: z.string().min(1),
  /** Provider group (for Entra ID, the group's object id) → role. */
  groups: z.record(z.string().min(1), z.enum(roles)),
};

export const identityProviderSchema = z.discriminatedUnion('type', [
  z.object({
    ...providerCommon,
    type: z.literal('oidc'),
    issuer: z.url(),
    clientId: z.string().min(1),
    /** The Secrets Manager secret holding the client secret, resolved by CloudFormation at deployment. */
    clientSecretName: z.string().min(1),
  }),
  z.object({ ...providerCommon, type: z.literal('saml'), metadataUrl: z.url() }),
]);
export type IdentityProvider = z.infer<typeof identityProviderSchema>;

export const identityProvidersSchema = z.array(identityProviderSchema).superRefine((providers, context) => {
  const seen = new Set<string>();
  providers.forEach((provider, index) => {
    if (seen.has(provider.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `${provider.id} is named twice` });
    seen.add(provider.id);
  });
});

/** What the token trigger needs of a provider: no issuer, client or secret. */
export type SignInProvider = Pick<IdentityProvider, 'id' | 'agencyId' | 'regionId' | 'groups'>;
export const signInProviderOf = ({ id, agencyId, regionId, groups }: IdentityProvider): SignInProvider => ({
  id,
  agencyId,
  regionId,
  groups,
});

/** Reads and checks the file `-c identityProviders=` names; a bad file stops the synth, naming every bad field. */
export function readIdentityProviders(file: string | undefined): IdentityProvider[] {
  if (!file) return [];
  const parsed = identityProvidersSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
  throw new Error(`${file}: ${problems.join('; ')}`);
}
