import { AgencySettingsBody } from '../../shared/api/request-schemas';
import { commandRoute } from '../../shared/api/commands';
import { recordAgencySettingsChange } from '../../shared/store/agency-ledger';

export const handler = commandRoute('ChangeAgencySettings', {
  detailType: 'AgencySettingsChanged',
  body: AgencySettingsBody,
  toDetail: (body, caller) => ({ ...body, ...(caller.subject ? { changedBy: caller.subject } : {}) }),
  record: (event) => recordAgencySettingsChange(event.detail, event),
  answer: ({
    attritionRate,
    targetInHouseShare,
    firstResponseWorkingDays,
    initialVisitWorkingDays,
    applicationToApprovalDays,
    serviceName,
  }) => ({
    attritionRate,
    targetInHouseShare,
    firstResponseWorkingDays,
    initialVisitWorkingDays,
    applicationToApprovalDays,
    serviceName,
  }),
});
