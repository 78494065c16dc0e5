import { householdCommandRoute } from '../../shared/api/commands';

// Another agency of the caller's region only: commandRoute applies shared/domain/tenancy.ts.
export const handler = householdCommandRoute('ReferEnquiryOn');
