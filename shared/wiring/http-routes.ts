// The HTTP API's routes, declared once: the CDK stack makes one Lambda and one HTTP API route per
// entry, the local server serves them, the OpenAPI document describes them, and the authorization
// layer and its test matrix read who may call each from here.
import type { ResourceAccess } from './event-routes';
import { roles, type Role } from './roles';

export { roles, type Role };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The route's handler entry under functions/: `api/` and its name in kebab case, unless it names another. */
export function handlerOf(route: Pick<ApiRoute, 'name' | 'handler'>): string {
  return route.handler ?? `api/${route.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}
export type RouteKind = 'command' | 'erasure' | 'query' | 'public';

export interface ApiRoute {
  /** Stable name; also the Lambda's construct id. */
  name: string;
  method: HttpMethod;
  /** API Gateway path template, e.g. `/households/{householdId}/approval`. */
  path: string;
  /** Handler entry under functions/, without extension (it exports `handler`), when it is not
   *  `api/<name in kebab case>`: see handlerOf. Every handler bundles this table to find its own
   *  route, so entries that follow from the name are not written out. */
  handler?: string;
  /** `command`: records an event and answers 202 with its eventId (an `Idempotency-Key` is honoured);
   *  `erasure`: deletes personal data, nothing recorded; `query`: reads only; `public`: the public's
   *  enquiry form (no token, limited per source address and agency: docs/rules.md, the front door). */
  kind: RouteKind;
  /** `front-door`: served in AWS by the front door's REST API behind AWS WAF (an HTTP API cannot take a
   *  web ACL), which hands the handler the REST API's event; absent: the HTTP API. */
  gateway?: 'front-door';
  /** Groups any one of which may call the route. Empty: no token needed. */
  allowedRoles: readonly Role[];
  /** Reads that a `regional` token may make for its region (`?region`): docs/metrics.md, regional view. */
  regional?: boolean;
  /** A read whose JSON answer is also served as CSV (`?format=csv` or `Accept: text/csv`): docs/api.md, CSV. */
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
/** Metrics a `regional` token also reads, aggregated over its region. */
const regionalMetricReaders: Role[] = [...metricReaders, 'regional'];
/** The work list: the recruitment team's, and its managers'; a region reads its counts (docs/rules.md, roles). */
const caseloadReaders: Role[] = ['recruitment', 'manager'];

export const apiRoutes = [
  {
    name: 'LaunchCampaign',
    method: 'POST',
    kind: 'command',
    path: '/campaigns',
    allowedRoles: ['marketing'],
    access: command,
  },
  {
    name: 'ListCampaigns',
    method: 'GET',
    kind: 'query',
    path: '/campaigns',
    allowedRoles: regionalMetricReaders,
    regional: true,
    access: query,
  },
  {
    name: 'RecordCampaignSpend',
    method: 'POST',
    kind: 'command',
    path: '/campaigns/{campaignId}/spend',
    allowedRoles: ['marketing'],
    access: command,
  },
  // Writes the agency's reference counter, and the contact details apart.
  {
    name: 'ReceiveEnquiry',
    method: 'POST',
    kind: 'command',
    path: '/enquiries',
    allowedRoles: ['recruitment'],
    access: { ...command, projections: 'readWrite', contacts: 'readWrite', searchKey: true },
  },
  // The front door: the public's enquiry form and its post, without a token.
  {
    name: 'EnquiryForm',
    method: 'GET',
    kind: 'public',
    path: '/enquire/{agencyId}',
    gateway: 'front-door',
    allowedRoles: [],
    // Reads the agency's settings; draws the stamp key on first use.
    access: { projections: 'readWrite' },
  },
  {
    name: 'ReceivePublicEnquiry',
    method: 'POST',
    kind: 'public',
    path: '/public/enquiries/{agencyId}',
    gateway: 'front-door',
    allowedRoles: [],
    // The enquiry as POST /enquiries stores it; the rate limits' recent posts in the idempotency table.
    access: { projections: 'readWrite', contacts: 'readWrite', idempotency: 'readWrite', searchKey: true },
  },
  {
    name: 'ScreenedEnquiryPosts',
    method: 'GET',
    kind: 'query',
    path: '/enquiry-form/screened',
    allowedRoles: ['manager'],
    access: query,
  },
  {
    name: 'CompleteInitialVisit',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/initial-visit',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'StartAssessment',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/assessment',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'ApproveHousehold',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/approval',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'CloseEnquiry',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/closure',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'ReferEnquiryOn',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/referral',
    allowedRoles: ['recruitment'],
    access: command,
  },
  // The hub's recruitment team hands a household to a member council: the same fact as a referral on.
  {
    name: 'HandOverHousehold',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/handover',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'RecordContactAttempt',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/contact-attempts',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'RecordAssessmentMilestone',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/assessment-milestones',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'ClearPossibleDuplicate',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/not-duplicate',
    allowedRoles: ['recruitment'],
    access: command,
  },
  {
    name: 'CorrectStep',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/corrections',
    allowedRoles: ['recruitment', 'manager'],
    access: command,
  },
  {
    name: 'ChangeApproval',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/approval-change',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'StartPlacement',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/placements',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'EndPlacement',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/placements/{placementId}/end',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'StartHold',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/holds',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'EndHold',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/holds/{holdId}/end',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'FlagResignationRisk',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/resignation-risk',
    allowedRoles: ['manager'],
    access: { ...command, contacts: 'readWrite' },
  },
  {
    name: 'ClearResignationRisk',
    method: 'DELETE',
    kind: 'command',
    path: '/households/{householdId}/resignation-risk',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'RecordResignation',
    method: 'POST',
    kind: 'command',
    path: '/households/{householdId}/resignation',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'RecordChildrenInCare',
    method: 'POST',
    kind: 'command',
    path: '/children-in-care',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'GetAgencySettings',
    method: 'GET',
    kind: 'query',
    path: '/agency/settings',
    allowedRoles: ['manager'],
    access: query,
  },
  {
    name: 'ChangeAgencySettings',
    method: 'PUT',
    kind: 'command',
    path: '/agency/settings',
    allowedRoles: ['manager'],
    access: command,
  },
  {
    name: 'EraseContact',
    method: 'DELETE',
    kind: 'erasure',
    path: '/households/{householdId}/contact',
    allowedRoles: ['recruitment'],
    access: { projections: 'read', contacts: 'readWrite', audit: 'append' },
  },
  {
    name: 'FindHouseholds',
    method: 'GET',
    kind: 'query',
    path: '/households',
    allowedRoles: readers,
    access: { projections: 'read', contacts: 'read', audit: 'append', searchKey: true },
  },
  {
    name: 'GetHousehold',
    method: 'GET',
    kind: 'query',
    path: '/households/{householdId}',
    allowedRoles: readers,
    access: { projections: 'read', contacts: 'read', audit: 'append' },
  },
  // A subject access request's document (UK GDPR art. 15): the household's contact details, notes and record.
  {
    name: 'SubjectAccess',
    method: 'GET',
    kind: 'query',
    path: '/households/{householdId}/subject-access',
    allowedRoles: ['manager'],
    access: { projections: 'read', contacts: 'read', audit: 'append' },
  },
  // Who saw which household's details, and who erased or imported them: read only, by any route.
  {
    name: 'Audit',
    method: 'GET',
    kind: 'query',
    path: '/audit',
    allowedRoles: ['manager'],
    access: { audit: 'read' },
  },
  {
    name: 'CampaignConversion',
    method: 'GET',
    kind: 'query',
    path: '/metrics/campaign-conversion',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'Capacity',
    method: 'GET',
    kind: 'query',
    path: '/metrics/capacity',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'BedsOnHold',
    method: 'GET',
    kind: 'query',
    path: '/metrics/beds-on-hold',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'Sufficiency',
    method: 'GET',
    kind: 'query',
    path: '/metrics/sufficiency',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'ResignationForecast',
    method: 'GET',
    kind: 'query',
    path: '/metrics/resignation-forecast',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'AnnualReturn',
    method: 'GET',
    kind: 'query',
    path: '/metrics/annual-return',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'FosteringServiceUpdate',
    method: 'GET',
    kind: 'query',
    path: '/reports/fostering-service-update',
    allowedRoles: ['manager', 'marketing'],
    access: query,
  },
  {
    name: 'ReferralRewards',
    method: 'GET',
    kind: 'query',
    path: '/referral-rewards',
    allowedRoles: ['marketing', 'manager'],
    access: query,
  },
  {
    name: 'Caseload',
    method: 'GET',
    kind: 'query',
    path: '/caseload',
    allowedRoles: caseloadReaders,
    access: { projections: 'read', contacts: 'read', audit: 'append' },
  },
  {
    name: 'CaseloadCounts',
    method: 'GET',
    kind: 'query',
    path: '/metrics/caseload',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'Timeliness',
    method: 'GET',
    kind: 'query',
    path: '/metrics/timeliness',
    allowedRoles: regionalMetricReaders,
    regional: true,
    csv: true,
    access: query,
  },
  // The hub's front door, followed through its handovers: the hub's managers, and its region.
  {
    name: 'HubFigures',
    method: 'GET',
    kind: 'query',
    path: '/metrics/hub',
    allowedRoles: ['manager', 'regional'],
    regional: true,
    csv: true,
    access: query,
  },
  {
    name: 'ExportEvents',
    method: 'GET',
    kind: 'query',
    path: '/export/events',
    allowedRoles: ['manager'],
    access: query,
  },
] as const satisfies readonly ApiRoute[];

export type ApiRouteName = (typeof apiRoutes)[number]['name'];

export function apiRoute(name: ApiRouteName): ApiRoute {
  const route = apiRoutes.find((r) => r.name === name);
  if (!route) throw new Error(`no API route ${name}`);
  return route;
}
