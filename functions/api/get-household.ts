import { httpRoute, json, notFound } from '../../shared/api/http';
import { audit } from '../../shared/api/audited';
import { suggestedCouncil } from '../../shared/domain/handover';
import { householdView, withoutSensitiveFacts } from '../../shared/domain/household-view';
import { getHouseholdStates, readHouseholdHistory } from '../../shared/store/households';
import { getContact, getRiskFlagNotes } from '../../shared/store/contacts';
import { targetsForScope } from '../../shared/queries/caseload';
import { staffNames } from '../../shared/store/staff';

export const handler = httpRoute('GetHousehold', async (caller, event) => {
  const householdId = event.pathParameters?.householdId ?? '';
  const [history, targetsOf] = await Promise.all([readHouseholdHistory(caller.agencyId, householdId), targetsForScope(caller.agencyId)]);
  if (!history.whole) throw notFound('household');
  // Only recruitment sees contact details (docs/rules.md, roles).
  const contact = caller.has('recruitment') ? ((await getContact(caller.agencyId, householdId)) ?? null) : undefined;
  const earlier = await getHouseholdStates(caller.agencyId, history.whole.possibleDuplicateOf ?? []);
  const [view, names] = await Promise.all([
    householdView(history.whole, history.events, targetsOf(caller.agencyId), undefined, earlier),
    staffNames(
      caller.agencyId,
      history.events.flatMap((e) => (e.detail.recordedBy ? [e.detail.recordedBy] : [])),
    ),
  ]);
  // Who recorded each step, by the name the staff directory knows (the sub alone is on the event).
  view.timeline = view.timeline.map((entry) =>
    entry.recordedBy && names.has(entry.recordedBy) ? { ...entry, recordedByName: names.get(entry.recordedBy) } : entry,
  );
  // The reasons of holds, risk flags and resignations, and a risk flag's note, are the agency's
  // managers' alone, whatever else the caller holds (docs/security.md, sensitive facts).
  let notesShown = false;
  if (caller.has('manager') && view.riskFlags.length > 0) {
    const notes = new Map((await getRiskFlagNotes(caller.agencyId, householdId)).map((n) => [n.eventId, n.note]));
    view.riskFlags = view.riskFlags.map((flag) => (notes.has(flag.eventId) ? { ...flag, note: notes.get(flag.eventId) } : flag));
    notesShown = view.riskFlags.some((flag) => 'note' in flag);
  }
  const shown = caller.has('manager') ? view : withoutSensitiveFacts(view);
  if (contact || notesShown) await audit(caller, 'viewed', [householdId]);
  // A hub's household: the council its postcode district suggests for the handover (docs/api.md).
  const suggestion = suggestedCouncil(caller.agencyId, history.whole.enquiry?.postcodeDistrict);
  return json(200, { ...shown, suggestedCouncil: suggestion, ...(contact !== undefined ? { contact } : {}) });
});
