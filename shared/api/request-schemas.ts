// Request bodies and query strings by route, defined once: the handlers validate with them and the
// OpenAPI document is generated from them.
import * as z from 'zod';
import { commandBodySchema, type HouseholdDetailType } from '../events/catalogue';
import { ConversionQuerySchema } from '../queries/campaign-conversion';
import { AtDateQuerySchema, SufficiencyQuerySchema } from '../queries/capacity';
import { ForecastQuerySchema } from '../queries/forecast';
import { AnnualReturnQuerySchema } from '../queries/annual-return';
import { ReferralRewardsQuerySchema } from '../queries/referral-rewards';
import { EventExportQuerySchema } from '../queries/event-export';
import { CampaignsQuerySchema } from '../queries/campaigns';
import { ReportQuerySchema } from '../queries/committee-report';
import { CaseloadCountsQuerySchema, CaseloadQuerySchema, TimelinessQuerySchema } from '../queries/caseload';
import { FindHouseholdsQuerySchema } from '../queries/find-households';
import { apiRoute, type ApiRouteName } from '../wiring/http-routes';

/** Contact details travel only from this request to the contacts table: never onto the bus. */
export const ContactDetailsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{7,20}$/, 'a telephone number')
    .optional(),
});

/** A manager's words about a carer's wish to resign: personal data, kept with the contact details. */
export const RiskFlagNote = z.string().trim().min(1).max(2000);

/** PUT replaces both settings; who changed them comes from the token, not the body. */
export const AgencySettingsBody = commandBodySchema('AgencySettingsChanged').omit({ changedBy: true });

/** The reference is the API's to give (SPEC §4), so a caller cannot choose one. */
export const EnquiryBody = commandBodySchema('EnquiryReceived')
  .omit({ householdId: true, reference: true })
  .extend({ contact: ContactDetailsSchema });
/** A regional campaign names several agencies; absent, the campaign is the caller's agency's own. */
export const CampaignBody = commandBodySchema('CampaignLaunched').partial({ agencyIds: true });

/** Commands on one household: the event each records, and the id the server assigns when the body
 *  leaves it out (returned in the 202 answer). */
export const householdCommands = {
  CompleteInitialVisit: { detailType: 'InitialVisitCompleted' },
  StartAssessment: { detailType: 'AssessmentStarted' },
  ApproveHousehold: { detailType: 'HouseholdApproved' },
  CloseEnquiry: { detailType: 'EnquiryClosed' },
  ReferEnquiryOn: { detailType: 'EnquiryReferredOn' },
  RecordContactAttempt: { detailType: 'ContactAttempted' },
  RecordAssessmentMilestone: { detailType: 'AssessmentMilestoneRecorded' },
  ChangeApproval: { detailType: 'ApprovalChanged' },
  StartPlacement: { detailType: 'PlacementStarted', generatedId: 'placementId' },
  EndPlacement: { detailType: 'PlacementEnded' },
  StartHold: { detailType: 'HoldStarted', generatedId: 'holdId' },
  EndHold: { detailType: 'HoldEnded' },
  FlagResignationRisk: { detailType: 'ResignationRiskFlagged', keptApart: { note: RiskFlagNote.optional() } },
  ClearResignationRisk: { detailType: 'ResignationRiskCleared' },
  RecordResignation: { detailType: 'HouseholdResigned' },
} as const satisfies Partial<Record<ApiRouteName, HouseholdCommand>>;
export type HouseholdCommandName = keyof typeof householdCommands;

export interface HouseholdCommand {
  detailType: HouseholdDetailType;
  generatedId?: 'holdId' | 'placementId';
  /** Body fields that are personal data: stored apart by the handler, never put in the event. */
  keptApart?: Record<string, z.ZodType>;
}

/** What a household command accepts: the event's fields, path parameters included. */
export function householdCommandBody(name: HouseholdCommandName): z.ZodObject {
  const command: HouseholdCommand = householdCommands[name];
  // Any detail-type's body, as the loose object schema every one of them is.
  const eventBody: z.ZodObject = commandBodySchema(command.detailType);
  const schema = eventBody.extend(command.keptApart ?? {});
  if (!command.generatedId) return schema;
  const generated: Record<string, true> = { [command.generatedId]: true };
  return schema.partial(generated);
}

const withoutPath = (schema: z.ZodObject, ...keys: string[]): z.ZodObject => {
  const inThePath: Record<string, true> = Object.fromEntries(keys.map((k) => [k, true]));
  return schema.omit(inThePath);
};
/** The JSON body alone: what the path carries is not repeated in it. */
const bodyOf = (name: ApiRouteName, schema: z.ZodObject) =>
  withoutPath(schema, ...[...apiRoute(name).path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));

export const requestBodies: Partial<Record<ApiRouteName, z.ZodType>> = {
  LaunchCampaign: CampaignBody,
  RecordCampaignSpend: bodyOf('RecordCampaignSpend', commandBodySchema('CampaignSpendRecorded')),
  ReceiveEnquiry: EnquiryBody,
  ...Object.fromEntries(
    Object.keys(householdCommands).map((name) => [
      name,
      bodyOf(name as HouseholdCommandName, householdCommandBody(name as HouseholdCommandName)),
    ]),
  ),
  RecordChildrenInCare: commandBodySchema('ChildrenInCareRecorded'),
  ChangeAgencySettings: AgencySettingsBody,
};

export const queryStrings: Partial<Record<ApiRouteName, z.ZodType>> = {
  ListCampaigns: CampaignsQuerySchema,
  CampaignConversion: ConversionQuerySchema,
  Capacity: AtDateQuerySchema,
  BedsOnHold: AtDateQuerySchema,
  Sufficiency: SufficiencyQuerySchema,
  ResignationForecast: ForecastQuerySchema,
  AnnualReturn: AnnualReturnQuerySchema,
  ReferralRewards: ReferralRewardsQuerySchema,
  ExportEvents: EventExportQuerySchema,
  FosteringServiceUpdate: ReportQuerySchema,
  FindHouseholds: FindHouseholdsQuerySchema,
  Caseload: CaseloadQuerySchema,
  CaseloadCounts: CaseloadCountsQuerySchema,
  Timeliness: TimelinessQuerySchema,
};
