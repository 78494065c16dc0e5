import { httpRoute, json, notFound } from '../../shared/api/http';
import { audit } from '../../shared/api/audited';
import { householdView } from '../../shared/domain/household-view';
import { compareEvents } from '../../shared/domain/household';
import { readHouseholdHistory } from '../../shared/store/households';
import { getContact, getRiskFlagNotes } from '../../shared/store/contacts';
import { targetsForScope } from '../../shared/queries/caseload';

// A subject access request (UK GDPR art. 15): everything held about the household, as one document.
// Audited like every answer that shows contact details.
export const handler = httpRoute('SubjectAccess', async (caller, event) => {
  const householdId = event.pathParameters?.householdId ?? '';
  const [history, targetsOf, contact, notes] = await Promise.all([
    readHouseholdHistory(caller.agencyId, householdId),
    targetsForScope(caller.agencyId),
    getContact(caller.agencyId, householdId),
    getRiskFlagNotes(caller.agencyId, householdId),
  ]);
  if (!history.whole) throw notFound('household');
  const { timeline: _timeline, ...state } = householdView(history.whole, history.events, targetsOf(caller.agencyId));
  await audit(caller, 'subject_access', [householdId]);
  return json(200, {
    householdId,
    agencyId: caller.agencyId,
    reference: state.reference,
    producedAt: new Date().toISOString(),
    contact: contact ?? null,
    managersNotes: notes,
    state,
    // Every event as recorded, oldest first, with who recorded it (a staff sub, never a name).
    events: [...history.events]
      .sort(compareEvents)
      .map(({ detailType, detail }) => ({ type: detailType, ...detail, recordedBy: detail.recordedBy ?? null })),
  });
});
