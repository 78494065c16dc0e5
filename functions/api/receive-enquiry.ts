import { randomUUID } from 'node:crypto';
import { EnquiryBody } from '../../shared/api/request-schemas';
import { commandRoute, recordNewHousehold } from '../../shared/api/commands';
import { badRequest } from '../../shared/api/http';
import { toUtcInstant } from '../../shared/domain/household';
import { getCampaign } from '../../shared/store/campaigns';
import { readHouseholdState } from '../../shared/store/households';
import { contactPuts } from '../../shared/store/contacts';
import { searchHasher } from '../../shared/store/search-hash';
import { allocateReference } from '../../shared/store/references';

// The enquiry and its contact details (with their search entries) are stored in one transaction: all or none.
export const handler = commandRoute('ReceiveEnquiry', {
  detailType: 'EnquiryReceived',
  body: EnquiryBody,
  toDetail: ({ contact: _contact, ...fields }) => ({ ...fields, householdId: randomUUID() }),
  validate: async (detail) => {
    const [campaign, referrer] = await Promise.all([
      detail.campaignId ? getCampaign(detail.agencyId, detail.campaignId) : undefined,
      detail.referredByHouseholdId ? readHouseholdState(detail.agencyId, detail.referredByHouseholdId) : undefined,
    ]);
    const fields = [
      ...(detail.campaignId && !campaign ? [{ field: 'campaignId', message: 'no such campaign in this agency' }] : []),
      ...(detail.referredByHouseholdId && !referrer?.state
        ? [{ field: 'referredByHouseholdId', message: 'no such household in this agency' }]
        : []),
    ];
    if (fields.length > 0) throw badRequest(fields);
  },
  // The reference is drawn once the request is valid, counted in the year of the enquiry's own date
  // (as a UTC instant), so history logged late keeps its year.
  record: async (event, body) => {
    const { agencyId, householdId, occurredAt } = event.detail;
    const reference = await allocateReference(agencyId, toUtcInstant(occurredAt).slice(0, 4));
    const stored = { ...event, detail: { ...event.detail, reference } };
    const hashTerm = await searchHasher();
    await recordNewHousehold(stored, { alongside: contactPuts(agencyId, householdId, body.contact, { hashTerm }) });
    return stored.detail;
  },
  answer: (detail) => ({ householdId: detail.householdId, reference: detail.reference }),
});
