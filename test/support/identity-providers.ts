// A council's identity providers as `-c identityProviders=<file>` names them, for the tests that
// deploy or read them: Microsoft Entra ID (OIDC), whose groups claim lists group object ids.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ENTRA_RECRUITMENT_GROUP = '5f1c9a3e-1111-4b6e-9d2a-0a1b2c3d4e5f';

/** Council A's Entra ID tenant, its recruitment group mapped. */
export const entraProvider = {
  id: 'entra-council-a',
  agencyId: 'council-a',
  type: 'oidc',
  issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  clientId: 'app-id',
  clientSecretName: 'fostering/entra-council-a',
  groupsClaim: 'groups',
  groups: { [ENTRA_RECRUITMENT_GROUP]: 'recruitment' },
};

/** A providers file holding `content`, in a directory of its own. */
export function providersFileWith(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'providers-')), 'providers.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}
