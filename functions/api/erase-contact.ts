import { httpRoute, json, notFound } from '../../shared/api/http';
import { auditSub } from '../../shared/api/audited';
import { readHouseholdState } from '../../shared/store/households';
import { eraseContact } from '../../shared/store/contacts';
import { logger } from '../../shared/logger';

// Erasure touches only the contacts table (and appends the erasure ledger and the access audit):
// every metric reads the analytics records, so none changes.
export const handler = httpRoute('EraseContact', async (caller, event) => {
  const householdId = event.pathParameters?.householdId ?? '';
  if (!(await readHouseholdState(caller.agencyId, householdId)).state) throw notFound('household');
  const erased = await eraseContact(caller.agencyId, householdId, { sub: auditSub(caller) });
  logger.info('contact details erased', { householdId, hadContact: erased });
  return json(200, { householdId, erased });
});
