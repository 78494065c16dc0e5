// What every enquiry through the API records, whether staff logged it (POST /enquiries) or the public
// sent it through the form: the household with its reference, its contact details and their search
// entries, all in one transaction. Its first event then puts it in the caseload.
import type { DomainEventOf, EventDetail } from '../events/catalogue';
import { toUtcInstant } from '../domain/household';
import { contactPuts, searchKeysOf, type ContactDetails } from '../store/contacts';
import { possibleDuplicatesOf } from '../store/duplicates';
import { allocateReference } from '../store/references';
import { acknowledgementPut } from '../store/acknowledgements';
import { searchHasher } from '../store/search-hash';
import { recordNewHousehold } from './commands';

/** Stores the enquiry and its contact details (and, for an enquirer who gave an email through the form,
 *  the acknowledgement owed); answers the detail as stored, with its reference. */
export async function recordEnquiry(
  event: DomainEventOf<'EnquiryReceived'>,
  contact: ContactDetails,
  options: { acknowledge?: boolean } = {},
): Promise<EventDetail<'EnquiryReceived'> & { reference: string }> {
  const { agencyId, householdId, occurredAt } = event.detail;
  // The reference is drawn once the request is valid, counted in the year of the enquiry's own date
  // (as a UTC instant), so history logged late keeps its year.
  const reference = await allocateReference(agencyId, toUtcInstant(occurredAt).slice(0, 4));
  const hashTerm = await searchHasher();
  // Matched on the stored households' search entries, read consistently (docs/decisions.md, duplicates).
  const matched = await possibleDuplicatesOf(agencyId, householdId, searchKeysOf(householdId, contact, hashTerm), occurredAt);
  const stored = { ...event, detail: { ...event.detail, reference, ...(matched.length > 0 ? { possibleDuplicateOf: matched } : {}) } };
  const owed = options.acknowledge && contact.email ? [acknowledgementPut({ agencyId, householdId }, occurredAt)] : [];
  await recordNewHousehold(stored, { alongside: [...contactPuts(agencyId, householdId, contact, { hashTerm }), ...owed] });
  return stored.detail;
}
