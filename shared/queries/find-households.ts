// The caseload's search: a household by its reference, for every role that reads households; recruitment
// also by a word of the name, the email or the phone, from the contacts side. At most 50 matches.
import * as z from 'zod';
import { enquiredOn } from '../domain/follow-up';
import { furthestStage, statusOf, type HouseholdState } from '../domain/household';
import { getHouseholdStates } from '../store/households';
import { householdsByReference } from '../store/references';
import { getNames, searchContacts, type ContactMatch } from '../store/contacts';

export const MAX_MATCHES = 50;

export const FindHouseholdsQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100).describe('a reference; for recruitment also a word of the name, an email or a phone number'),
});

export interface HouseholdMatch {
  householdId: string;
  reference: string | null;
  status: string;
  stage: string | null;
  enquiredOn: string | null;
  channel: string | null;
  campaignId: string | null;
  matched: 'reference' | ContactMatch;
  name?: string | null;
}

const summary = (state: HouseholdState, matched: HouseholdMatch['matched']): HouseholdMatch => ({
  householdId: state.householdId,
  reference: state.enquiry?.reference ?? null,
  status: statusOf(state),
  stage: furthestStage(state) ?? null,
  enquiredOn: enquiredOn(state) ?? null,
  channel: state.enquiry?.channel ?? null,
  campaignId: state.enquiry?.campaignId ?? null,
  matched,
});

export async function findHouseholds(agencyId: string, q: string, options: { withContacts: boolean }): Promise<HouseholdMatch[]> {
  const reference = q.trim().toUpperCase();
  const [byReference, byContact] = await Promise.all([
    /^[A-Z0-9][A-Z0-9-]*$/.test(reference) ? householdsByReference(agencyId, reference, MAX_MATCHES) : [],
    options.withContacts ? searchContacts(agencyId, q, MAX_MATCHES) : [],
  ]);
  const matches = new Map<string, HouseholdMatch>(byReference.map((state) => [state.householdId, summary(state, 'reference')]));
  const contactOnly = byContact.filter((m) => !matches.has(m.householdId)).slice(0, MAX_MATCHES - matches.size);
  const states = new Map(
    (
      await getHouseholdStates(
        agencyId,
        contactOnly.map((m) => m.householdId),
      )
    ).map((s) => [s.householdId, s]),
  );
  for (const { householdId, matched } of contactOnly) {
    const state = states.get(householdId);
    if (state) matches.set(householdId, summary(state, matched));
  }
  const found = [...matches.values()].slice(0, MAX_MATCHES);
  if (!options.withContacts) return found;
  const names = await getNames(
    agencyId,
    found.map((m) => m.householdId),
  );
  return found.map((m) => ({ ...m, name: names.get(m.householdId) ?? null }));
}
