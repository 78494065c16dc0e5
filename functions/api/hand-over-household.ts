import { householdCommandRoute } from '../../shared/api/commands';
import { badRequest, HttpError } from '../../shared/api/http';
import { checkHandover } from '../../shared/domain/handover';

// Recorded as a referral on (the same EnquiryReferredOn), from the hub to a member council only.
export const handler = householdCommandRoute('HandOverHousehold', (event) => {
  if (event.detailType !== 'EnquiryReferredOn') return;
  const verdict = checkHandover(event.detail.agencyId, event.detail.toAgencyId);
  if (verdict.allowed) return;
  throw verdict.status === 400 ? badRequest(verdict.fields ?? [], verdict.message) : new HttpError(403, 'not_a_hub', verdict.message);
});
