import { randomUUID } from 'node:crypto';
import { EnquiryBody } from '../../shared/api/request-schemas';
import { commandRoute, recordNewHousehold } from '../../shared/api/commands';
import { badRequest } from '../../shared/api/http';
import { getCampaign } from '../../shared/store/campaigns';
import { getHouseholdState } from '../../shared/store/households';
import { contactPut } from '../../shared/store/contacts';

// The enquiry and its contact details are stored in one transaction: both or neither.
export const handler = commandRoute('ReceiveEnquiry', {
  detailType: 'EnquiryReceived',
  body: EnquiryBody,
  toDetail: ({ contact: _contact, ...fields }) => ({ ...fields, householdId: randomUUID() }),
  validate: async (detail) => {
    const [campaign, referrer] = await Promise.all([
      detail.campaignId ? getCampaign(detail.agencyId, detail.campaignId) : undefined,
      detail.referredByHouseholdId ? getHouseholdState(detail.agencyId, detail.referredByHouseholdId) : undefined,
    ]);
    const fields = [
      ...(detail.campaignId && !campaign ? [{ field: 'campaignId', message: 'no such campaign in this agency' }] : []),
      ...(detail.referredByHouseholdId && !referrer
        ? [{ field: 'referredByHouseholdId', message: 'no such household in this agency' }]
        : []),
    ];
    if (fields.length > 0) throw badRequest(fields);
  },
  record: (event, body) =>
    recordNewHousehold(event, { alongside: [contactPut(event.detail.agencyId, event.detail.householdId, body.contact)] }),
  answer: (detail) => ({ householdId: detail.householdId }),
});
