import { householdCommandRoute } from '../../shared/api/commands';
import { badRequest } from '../../shared/api/http';

export const handler = householdCommandRoute('ReferEnquiryOn', (event) => {
  if (event.detailType === 'EnquiryReferredOn' && event.detail.toAgencyId === event.detail.agencyId) {
    throw badRequest([{ field: 'toAgencyId', message: 'must be another agency' }]);
  }
});
