import { householdCommandRoute } from '../../shared/api/commands';
import { badRequest } from '../../shared/api/http';

export const handler = householdCommandRoute('ReferEnquiryOn', (detail) => {
  if (detail.toAgencyId === detail.agencyId) throw badRequest([{ field: 'toAgencyId', message: 'must be another agency' }]);
});
