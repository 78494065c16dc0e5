import { projectorHandler } from '../../shared/projections/projector';
import { recordAgencySettingsChange, recordChildrenInCare, recordReferralRewardDue } from '../../shared/store/agency-ledger';

export const handler = projectorHandler('AgencyLedgerProjector', async (event) => {
  switch (event.detailType) {
    case 'ChildrenInCareRecorded':
      return recordChildrenInCare(event.detail);
    case 'ReferralRewardDue':
      return recordReferralRewardDue(event.detail);
    case 'AgencySettingsChanged':
      return recordAgencySettingsChange(event.detail);
  }
});
