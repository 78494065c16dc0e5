import { AgencySettingsBody } from '../../shared/api/request-schemas';
import { commandRoute } from '../../shared/api/commands';

export const handler = commandRoute('ChangeAgencySettings', {
  detailType: 'AgencySettingsChanged',
  body: AgencySettingsBody,
  toDetail: (body, caller) => ({ ...body, ...(caller.subject ? { changedBy: caller.subject } : {}) }),
  answer: ({ attritionRate, targetInHouseShare }) => ({ attritionRate, targetInHouseShare }),
});
