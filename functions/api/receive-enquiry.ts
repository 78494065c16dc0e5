import { randomUUID } from 'node:crypto';
import { EnquiryBody } from '../../shared/api/request-schemas';
import { commandRoute } from '../../shared/api/commands';
import { recordEnquiry } from '../../shared/api/enquiries';
import { badRequest } from '../../shared/api/http';
import { getCampaign } from '../../shared/store/campaigns';
import { readHouseholdState } from '../../shared/store/households';

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
  record: (event, body) => recordEnquiry(event, body.contact),
  answer: (detail) => ({ householdId: detail.householdId, reference: detail.reference }),
});
