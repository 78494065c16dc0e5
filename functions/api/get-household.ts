import { httpRoute, json, notFound } from '../../shared/api/http';
import { householdView } from '../../shared/domain/household-view';
import { readHouseholdPartition } from '../../shared/store/households';
import { getContact } from '../../shared/store/contacts';

export const handler = httpRoute('GetHousehold', async (caller, event) => {
  const householdId = event.pathParameters?.householdId ?? '';
  const partition = await readHouseholdPartition(caller.agencyId, householdId);
  if (!partition.state) throw notFound('household');
  // Only recruitment sees contact details (SPEC §1, §7).
  const contact = caller.has('recruitment') ? ((await getContact(caller.agencyId, householdId)) ?? null) : undefined;
  return json(200, { ...householdView(partition.state, partition.events), ...(contact !== undefined ? { contact } : {}) });
});
