// Request bodies and query strings by route, defined once: the handlers validate with them and the
// OpenAPI document is generated from them.
import { z } from 'zod';
import { commandBodySchema } from '../events/catalogue';
import { ConversionQuerySchema } from '../queries/campaign-conversion';
import type { ApiRouteName } from './routes';

/** Contact details travel only from this request to the contacts table: never onto the bus. */
export const ContactDetailsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  phone: z.string().regex(/^\+?[0-9 ()-]{7,20}$/, 'a telephone number').optional(),
});

export const EnquiryBody = commandBodySchema('EnquiryReceived').omit({ householdId: true }).extend({ contact: ContactDetailsSchema });
/** A regional campaign names several agencies; absent, the campaign is the caller's agency's own. */
export const CampaignBody = commandBodySchema('CampaignLaunched').partial({ agencyIds: true });

const withoutPath = <S extends z.ZodObject>(schema: S, ...keys: string[]) =>
  schema.omit(Object.fromEntries(keys.map((k) => [k, true])) as never);

export const requestBodies: Partial<Record<ApiRouteName, z.ZodType>> = {
  LaunchCampaign: CampaignBody,
  RecordCampaignSpend: withoutPath(commandBodySchema('CampaignSpendRecorded'), 'campaignId'),
  ReceiveEnquiry: EnquiryBody,
  CompleteInitialVisit: withoutPath(commandBodySchema('InitialVisitCompleted'), 'householdId'),
  StartAssessment: withoutPath(commandBodySchema('AssessmentStarted'), 'householdId'),
  ApproveHousehold: withoutPath(commandBodySchema('HouseholdApproved'), 'householdId'),
  CloseEnquiry: withoutPath(commandBodySchema('EnquiryClosed'), 'householdId'),
  ReferEnquiryOn: withoutPath(commandBodySchema('EnquiryReferredOn'), 'householdId'),
};

export const queryStrings: Partial<Record<ApiRouteName, z.ZodType>> = {
  CampaignConversion: ConversionQuerySchema,
};
