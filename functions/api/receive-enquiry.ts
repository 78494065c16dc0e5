import { randomUUID } from 'node:crypto';
import { EnquiryBody } from '../../shared/api/request-schemas';
import { commandRoute } from '../../shared/api/commands';
import { badRequest } from '../../shared/api/http';
import { getCampaign } from '../../shared/store/campaigns';
import { getHouseholdState } from '../../shared/store/households';
import { saveContact } from '../../shared/store/contacts';

export const handler = commandRoute('ReceiveEnquiry', {
  detailType: 'EnquiryReceived',
  body: EnquiryBody,
  toDetail: ({ contact: _contact, ...fields }) => ({ ...fields, householdId: randomUUID() }),
  check: async (detail) => {
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
  beforePublish: (detail, body) => saveContact(detail.agencyId, detail.householdId, body.contact),
  answer: (detail) => ({ householdId: detail.householdId }),
});
