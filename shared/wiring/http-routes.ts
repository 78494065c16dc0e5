// The HTTP API's routes, declared once: the CDK stack makes one Lambda and one HTTP API route per
// entry, the local server serves them, the OpenAPI document describes them, and the authorization
// layer and its test matrix read who may call each from here.
import type { ResourceAccess } from './event-routes';
import { roles, type Role } from './roles';

export { roles, type Role };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type RouteKind = 'command' | 'erasure' | 'query';

export interface ApiRoute {
  /** Stable name; also the Lambda's construct id. */
  name: string;
  method: HttpMethod;
  /** API Gateway path template, e.g. `/households/{householdId}/approval`. */
  path: string;
  /** Handler entry under functions/, without extension; it exports `handler`. */
  handler: string;
  /** `command`: records an event and answers 202 with its eventId (an `Idempotency-Key` is honoured);
   *  `erasure`: deletes personal data, nothing recorded; `query`: reads only. */
  kind: RouteKind;
  /** Groups any one of which may call the route. Empty: no token needed. */
  allowedRoles: readonly Role[];
  summary: string;
  /** Reads that a `regional` token may make for its region (`?region`), SPEC §6. */
  regional?: boolean;
  /** A read whose JSON answer is also served as CSV (`?format=csv` or `Accept: text/csv`), SPEC §9. */
  csv?: boolean;
  /** What the handler touches: the stack grants exactly this and sets the matching env vars. */
  access: ResourceAccess;
}

/** Every command: checks and stores its event in the projections table (the outbox puts it on the bus
 *  from the table's stream), remembers Idempotency-Key answers. */
const command: ResourceAccess = { projections: 'readWrite', idempotency: 'readWrite' };
const query: ResourceAccess = { projections: 'read' };

const readers: Role[] = ['recruitment', 'marketing', 'manager'];
const metricReaders: Role[] = ['recruitment', 'marketing', 'manager'];
/** Metrics a `regional` token also reads, aggregated over its region (SPEC §6). */
const regionalMetricReaders: Role[] = [...metricReaders, 'regional'];
/** The work list: the recruitment team's, and its managers' (SPEC §8); a region reads its counts. */
const caseloadReaders: Role[] = ['recruitment', 'manager'];

export const apiRoutes = [
  {
    name: 'LaunchCampaign',
    method: 'POST',
    kind: 'command',
    path: '/campaigns',
    handler: 'api/launch-campaign',
    allowedRoles: ['marketing'],
    summary: 'Launch a recruitment campaign',
    access: command,
  },
  {
    name: 'ListCampaigns',
    method: 'GET',
    kind: 'query',
    path: '/campaigns',
    handler: 'api/list-campaigns',
    allowedRoles: regionalMetricReaders,
    summary: 'The campaigns the agency may name (its own and those shared with it), by name',
    regional: true,
    access: query,
  },
  {
    name: 'RecordCampaignSpend',
    method: 'POST',
    kind: 'command',
    path: '/campaigns/{campaignId}/spend',
    handler: 'api/record-campaign-spend',
    allowedRoles: ['marketing'],
    summary: 'Record money spent on a campaign',
    access: command,
  },
  // Writes the agency's reference counter, and the contact details apart.
  {
    name: 'ReceiveEnquiry',
    method: 'POST',
    kind: 'command',
    path: '/enquiries',
    handler: 'api/receive-enquiry',
    allowedRoles: ['recruitment'],
    summary: 'Log an enquiry from a prospective fostering household; answers its householdId and reference',
    access: { ...command, projections: 'readWrite', contacts: 'readWrite' },
  },
  {
    name: 'CompleteInitialVisit',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/initial-visit',
    handler: 'api/complete-initial-visit',
    allowedRoles: ['recruitment'],
    summary: 'Record that an initial visit took place',
    access: command,
  },
  {
    name: 'StartAssessment',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/assessment',
    handler: 'api/start-assessment',
    allowedRoles: ['recruitment'],
    summary: 'Record an application: the assessment starts',
    access: command,
  },
  {
    name: 'ApproveHousehold',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/approval',
    handler: 'api/approve-household',
    allowedRoles: ['recruitment'],
    summary: "Record the household's approval as foster carers",
    access: command,
  },
  {
    name: 'CloseEnquiry',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/closure',
    handler: 'api/close-enquiry',
    allowedRoles: ['recruitment'],
    summary: 'Close an enquiry or withdraw an application, with its reason',
    access: command,
  },
  {
    name: 'ReferEnquiryOn',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/referral',
    handler: 'api/refer-enquiry-on',
    allowedRoles: ['recruitment'],
    summary: 'Refer the household on to another agency',
    access: command,
  },
  {
    name: 'RecordContactAttempt',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/contact-attempts',
    handler: 'api/record-contact-attempt',
    allowedRoles: ['recruitment'],
    summary: 'Record a call, email, text, letter or visit to reach the household, its outcome and any follow-up date',
    access: command,
  },
  {
    name: 'RecordAssessmentMilestone',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/assessment-milestones',
    handler: 'api/record-assessment-milestone',
    allowedRoles: ['recruitment'],
    summary: "Record a step of the assessment: stage one completed, or the panel's recommendation",
    access: command,
  },
  {
    name: 'ChangeApproval',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/approval-change',
    handler: 'api/change-approval',
    allowedRoles: ['manager'],
    summary: "Change an approved household's approved beds or category",
    access: command,
  },
  {
    name: 'StartPlacement',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/placements',
    handler: 'api/start-placement',
    allowedRoles: ['manager'],
    summary: 'Record a child placed with the household (409 beyond its approved beds)',
    access: command,
  },
  {
    name: 'EndPlacement',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/placements/{placementId}/end',
    handler: 'api/end-placement',
    allowedRoles: ['manager'],
    summary: 'Record that a placement ended',
    access: command,
  },
  {
    name: 'StartHold',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/holds',
    handler: 'api/start-hold',
    allowedRoles: ['manager'],
    summary: 'Put vacant beds on hold, with the reason',
    access: command,
  },
  {
    name: 'EndHold',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/holds/{holdId}/end',
    handler: 'api/end-hold',
    allowedRoles: ['manager'],
    summary: 'End a hold',
    access: command,
  },
  {
    name: 'FlagResignationRisk',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/resignation-risk',
    handler: 'api/flag-resignation-risk',
    allowedRoles: ['manager'],
    summary: 'Flag that the household may resign, with the reason and likelihood (a note in words is kept with the contact details)',
    access: { ...command, contacts: 'readWrite' },
  },
  {
    name: 'ClearResignationRisk',
    method: 'DELETE',
    kind: 'command',
    path: '/households/{householdId}/resignation-risk',
    handler: 'api/clear-resignation-risk',
    allowedRoles: ['manager'],
    summary: "Clear the household's resignation risk flag",
    access: command,
  },
  {
    name: 'RecordResignation',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/resignation',
    handler: 'api/record-resignation',
    allowedRoles: ['manager'],
    summary: 'Record that an approved household resigned (deregistration)',
    access: command,
  },
  {
    name: 'RecordChildrenInCare',
    method: 'POST',
    kind: 'command',
    path: '/children-in-care',
    handler: 'api/record-children-in-care',
    allowedRoles: ['manager'],
    summary: 'Record how many children are in care and where the fostered ones live',
    access: command,
  },
  {
    name: 'GetAgencySettings',
    method: 'GET',
    kind: 'query',
    path: '/agency/settings',
    handler: 'api/get-agency-settings',
    allowedRoles: ['manager'],
    summary: "The agency's forecast settings, timescale targets and every change to them",
    access: query,
  },
  {
    name: 'ChangeAgencySettings',
    method: 'PUT',
    kind: 'command',
    path: '/agency/settings',
    handler: 'api/change-agency-settings',
    allowedRoles: ['manager'],
    summary: 'Set the annual attrition rate, the target in-house share and the timescale targets (SPEC §8)',
    access: command,
  },
  {
    name: 'EraseContact',
    method: 'DELETE',
    kind: 'erasure',
    path: '/households/{householdId}/contact',
    handler: 'api/erase-contact',
    allowedRoles: ['recruitment'],
    summary: "Erase the household's contact details for good",
    access: { projections: 'read', contacts: 'readWrite' },
  },
  {
    name: 'FindHouseholds',
    method: 'GET',
    kind: 'query',
    path: '/households',
    handler: 'api/find-households',
    allowedRoles: readers,
    summary: 'Find households by reference; recruitment also by a word of the name, the email or the phone (SPEC §8)',
    access: { projections: 'read', contacts: 'read' },
  },
  {
    name: 'GetHousehold',
    method: 'GET',
    kind: 'query',
    path: '/households/{householdId}',
    handler: 'api/get-household',
    allowedRoles: readers,
    summary: "A household's state and timeline",
    access: { projections: 'read', contacts: 'read' },
  },
  {
    name: 'CampaignConversion',
    method: 'GET',
    kind: 'query',
    path: '/metrics/campaign-conversion',
    handler: 'api/campaign-conversion',
    allowedRoles: regionalMetricReaders,
    summary: 'Campaign conversion, timeliness, cost and activity (SPEC §5.1)',
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'Capacity',
    method: 'GET',
    kind: 'query',
    path: '/metrics/capacity',
    handler: 'api/capacity',
    allowedRoles: regionalMetricReaders,
    summary: 'Approved households, beds, placements and vacancies at a date (SPEC §5.2)',
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'BedsOnHold',
    method: 'GET',
    kind: 'query',
    path: '/metrics/beds-on-hold',
    handler: 'api/beds-on-hold',
    allowedRoles: regionalMetricReaders,
    summary: 'Beds on hold at a date, primary and secondary, by reason (SPEC §5.3)',
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'Sufficiency',
    method: 'GET',
    kind: 'query',
    path: '/metrics/sufficiency',
    handler: 'api/sufficiency',
    allowedRoles: regionalMetricReaders,
    summary: 'In-house capacity against the children in care, with a 12-month trend (SPEC §5.5)',
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'ResignationForecast',
    method: 'GET',
    kind: 'query',
    path: '/metrics/resignation-forecast',
    handler: 'api/resignation-forecast',
    allowedRoles: regionalMetricReaders,
    summary: 'Resignations so far and expected by 31 March, with the recruitment pipeline (SPEC §5.4)',
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'AnnualReturn',
    method: 'GET',
    kind: 'query',
    path: '/metrics/annual-return',
    handler: 'api/annual-return',
    allowedRoles: regionalMetricReaders,
    summary:
      "The year's return to the inspectorate: enquiries to approvals, withdrawals by code, deregistrations by reason, places at 31 March (SPEC §5.6)",
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'FosteringServiceUpdate',
    method: 'GET',
    kind: 'query',
    path: '/reports/fostering-service-update',
    handler: 'api/fostering-service-update',
    allowedRoles: ['manager', 'marketing'],
    summary: "The committee report for the period, as a Word document (.docx), every figure the API's for the same dates (SPEC §9)",
    access: query,
  },
  {
    name: 'ReferralRewards',
    method: 'GET',
    kind: 'query',
    path: '/referral-rewards',
    handler: 'api/referral-rewards',
    allowedRoles: ['marketing', 'manager'],
    summary: 'The refer-a-friend rewards that fell due in a window, with both households and the amount (SPEC §4)',
    access: query,
  },
  {
    name: 'Caseload',
    method: 'GET',
    kind: 'query',
    path: '/caseload',
    handler: 'api/caseload',
    allowedRoles: caseloadReaders,
    summary: 'The open households at a date with their next action, sorted by when it is due (SPEC §8)',
    access: { projections: 'read', contacts: 'read' },
  },
  {
    name: 'CaseloadCounts',
    method: 'GET',
    kind: 'query',
    path: '/metrics/caseload',
    handler: 'api/caseload-counts',
    allowedRoles: regionalMetricReaders,
    summary: 'The enquiries of a window, each counted under its follow-up state at a date (SPEC §8)',
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'Timeliness',
    method: 'GET',
    kind: 'query',
    path: '/metrics/timeliness',
    handler: 'api/timeliness',
    allowedRoles: regionalMetricReaders,
    summary: "First responses, initial visits and approvals against the agency's timescale targets (SPEC §8)",
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'ExportEvents',
    method: 'GET',
    kind: 'query',
    path: '/export/events',
    handler: 'api/export-events',
    allowedRoles: ['manager'],
    summary: "The agency's own events in the window as NDJSON, one PutEvents entry a line, oldest first, without contact details (SPEC §9)",
    access: query,
  },
  {
    name: 'OpenApi',
    method: 'GET',
    kind: 'query',
    path: '/openapi.json',
    handler: 'api/openapi',
    allowedRoles: [],
    summary: 'This API described as OpenAPI 3.1',
    access: {},
  },
] as const satisfies readonly ApiRoute[];

export type ApiRouteName = (typeof apiRoutes)[number]['name'];

export function apiRoute(name: ApiRouteName): ApiRoute {
  const route = apiRoutes.find((r) => r.name === name);
  if (!route) throw new Error(`no API route ${name}`);
  return route;
}
