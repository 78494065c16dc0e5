// The settings in force for an agency, from its audit trail of changes.
import { settingsInForce } from '../domain/agency-settings';
import { agencySettingsChanges } from '../store/agency-ledger';
import type { ReadTally } from '../store/households';

export async function agencySettingsFor(agencyId: string, tally?: ReadTally) {
  const changes = await agencySettingsChanges(agencyId, tally);
  return { ...settingsInForce(changes), changes };
}
