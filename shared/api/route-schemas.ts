// Every route's request body and query string, by route: what the OpenAPI document is generated from
// and the fuzz tests send. Each schema is defined once, beside the handler that validates with it
// (request-schemas.ts for the commands, each query's module for its query string).
import type * as z from 'zod';
import { commandBodySchema } from '../events/catalogue';
import { ConversionQuerySchema } from '../queries/campaign-conversion';
import { AtDateQuerySchema, SufficiencyQuerySchema } from '../queries/capacity';
import { ForecastQuerySchema } from '../queries/forecast';
import { AnnualReturnQuerySchema } from '../queries/annual-return';
import { ReferralRewardsQuerySchema } from '../queries/referral-rewards';
import { HubFiguresQuerySchema } from '../queries/hub-figures';
import { EventExportQuerySchema } from '../queries/event-export';
import { CampaignsQuerySchema } from '../queries/campaigns';
import { ReportQuerySchema } from '../queries/committee-report';
import { CaseloadCountsQuerySchema, CaseloadQuerySchema, TimelinessQuerySchema } from '../queries/caseload';
import { FindHouseholdsQuerySchema } from '../queries/find-households';
import { AuditQuerySchema } from '../queries/audit';
import { ScreenedQuerySchema } from '../queries/front-door';
import { apiRoute, type ApiRouteName } from '../wiring/http-routes';
import {
  AgencySettingsBody,
  CampaignBody,
  EnquiryBody,
  PublicEnquiryBody,
  householdCommandBody,
  householdCommands,
  type HouseholdCommandName,
} from './request-schemas';

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
  ReceivePublicEnquiry: PublicEnquiryBody,
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
  HubFigures: HubFiguresQuerySchema,
  Audit: AuditQuerySchema,
  ScreenedEnquiryPosts: ScreenedQuerySchema,
};
