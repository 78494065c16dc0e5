import { httpRoute, json } from '../../shared/api/http';
import { agencySettingsFor } from '../../shared/queries/agency-settings';

export const handler = httpRoute('GetAgencySettings', async (caller) => {
  const { changes, ...settings } = await agencySettingsFor(caller.agencyId);
  // The audit trail without the bus's bookkeeping: when, what, and who (the token's opaque subject).
  const history = changes.map(({ agencyId: _agency, ...change }) => change);
  return json(200, { agencyId: caller.agencyId, ...settings, history });
});
