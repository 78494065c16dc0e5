// Finding the households an enquiry may duplicate, from what is stored: its email and phone search
// entries (keyed hashes, so no email or phone is read or written here) and the matched households'
// states, each read consistently, when the enquiry is first stored.
import { earlierHouseholds } from '../domain/duplicates';
import { contactTermsOf, householdsSharingTerms, storedSearchKeys } from './contacts';
import { readHouseholdState } from './households';

/** The earlier households (earliest enquiry first) whose email or phone is one of these search keys'. */
export async function possibleDuplicatesOf(
  agencyId: string,
  householdId: string,
  searchKeys: readonly string[],
  enquiredAt: string,
): Promise<string[]> {
  const terms = contactTermsOf(searchKeys);
  if (terms.length === 0) return [];
  const matched = await householdsSharingTerms(agencyId, householdId, terms);
  const states = await Promise.all(matched.map(async (id) => (await readHouseholdState(agencyId, id)).state));
  return earlierHouseholds(
    states.filter((state) => state !== undefined),
    householdId,
    enquiredAt,
  );
}

/** For an enquiry from another system or the import: matched by the contact details stored for its
 *  household before the event came (none stored, none matched). */
export async function possibleDuplicatesOfStored(agencyId: string, householdId: string, enquiredAt: string): Promise<string[]> {
  return possibleDuplicatesOf(agencyId, householdId, (await storedSearchKeys(agencyId, householdId)) ?? [], enquiredAt);
}
