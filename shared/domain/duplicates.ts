// Possible duplicates (docs/rules.md, duplicates): which stored households an enquiry whose email or
// phone matches theirs may be a second enquiry of. Pure: the store finds the matches, this judges them.
import { addYears, startOfDay } from './calendar';
import { closedAsDuplicate, closureAt, toUtcInstant, type HouseholdState } from './household';
import { MAX_ARRAY_ENTRIES } from '../events/catalogue';

/** A household closed (or resigned) longer ago than this before the enquiry is no longer matched. */
export const DUPLICATE_WINDOW_YEARS = 1;

type Candidate = Pick<HouseholdState, 'householdId' | 'enquiry' | 'closures' | 'resignation'>;

/** Whether `candidate` is an earlier household the enquiry at `enquiredAt` may duplicate: it enquired
 *  no later, and at that instant was open, or had been closed or had resigned within the window.
 *  One closed as a duplicate itself is no enquiry, so never matched. */
export function isEarlierHousehold(candidate: Candidate, enquiredAt: string): boolean {
  const at = toUtcInstant(enquiredAt);
  if (closedAsDuplicate(candidate) || (candidate.enquiry && candidate.enquiry.at > at)) return false;
  const resigned = candidate.resignation && candidate.resignation.at <= at ? candidate.resignation.at : undefined;
  const ended = resigned ?? closureAt(candidate, at)?.at;
  return ended === undefined || ended >= startOfDay(addYears(at.slice(0, 10), -DUPLICATE_WINDOW_YEARS));
}

/** The ids of the candidates the enquiry may duplicate, earliest enquiry first (then by id), at most 20. */
export function earlierHouseholds(candidates: readonly Candidate[], householdId: string, enquiredAt: string): string[] {
  return candidates
    .filter((c) => c.householdId !== householdId && isEarlierHousehold(c, enquiredAt))
    .sort((a, b) => (a.enquiry?.at ?? '').localeCompare(b.enquiry?.at ?? '') || a.householdId.localeCompare(b.householdId))
    .slice(0, MAX_ARRAY_ENTRIES)
    .map((c) => c.householdId);
}
