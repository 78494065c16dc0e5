import { AgencySettingsBody } from '../../shared/api/request-schemas';
import { commandRoute } from '../../shared/api/commands';
import { recordAgencySettingsChange } from '../../shared/store/agency-ledger';

const answeredSettings = [
  'attritionRate',
  'targetInHouseShare',
  'firstResponseWorkingDays',
  'initialVisitWorkingDays',
  'applicationToApprovalDays',
  'enquiryRetentionDays',
  'applicantRetentionDays',
  'carerRetentionDays',
  'serviceName',
  'privacyNoticeText',
  'privacyNoticeUrl',
] as const;

export const handler = commandRoute('ChangeAgencySettings', {
  detailType: 'AgencySettingsChanged',
  body: AgencySettingsBody,
  toDetail: (body, caller) => ({ ...body, ...(caller.subject ? { changedBy: caller.subject } : {}) }),
  record: (event) => recordAgencySettingsChange(event.detail, event),
  // The settings as recorded, without the event's bookkeeping.
  answer: (detail) => Object.fromEntries(answeredSettings.map((name) => [name, detail[name]])),
});
