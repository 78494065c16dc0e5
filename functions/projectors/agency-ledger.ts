import { projectorHandler } from '../../shared/projections/projector';
import { recordChildrenInCare, recordReferralRewardDue } from '../../shared/store/agency-ledger';

export const handler = projectorHandler(['ChildrenInCareRecorded', 'ReferralRewardDue'], async (event) =>
  event.detailType === 'ChildrenInCareRecorded' ? recordChildrenInCare(event.detail) : recordReferralRewardDue(event.detail));
