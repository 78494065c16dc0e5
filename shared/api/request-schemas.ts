// The commands' request bodies, defined once: the handlers validate with them, and route-schemas.ts
// lists them by route for the OpenAPI document. Nothing of the queries here, so that a command's
// bundle carries no query's code.
import * as z from 'zod';
import { commandBodySchema, type HouseholdDetailType } from '../events/catalogue';
import { Channel } from '../events/vocabulary';
import type { ApiRouteName } from '../wiring/http-routes';

// Each schema only one route's handler uses is built in a call marked pure, so that esbuild leaves
// it out of the other handlers' bundles (a module's top-level calls are otherwise kept in all).

/** Contact details travel only from this request to the contacts table: never onto the bus. */
export const ContactDetailsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{7,20}$/, 'a telephone number')
      .optional(),
  }))();

/** A manager's words about a carer's wish to resign: personal data, kept with the contact details. */
export const RiskFlagNote = z.string().trim().min(1).max(2000);

/** PUT replaces both settings; who changed them comes from the token, not the body. */
export const AgencySettingsBody = /* @__PURE__ */ (() => commandBodySchema('AgencySettingsChanged').omit({ changedBy: true }))();

/** The reference and the possible duplicates are the API's to give, so a caller chooses neither. */
export const EnquiryBody = /* @__PURE__ */ (() =>
  commandBodySchema('EnquiryReceived')
    .omit({ householdId: true, reference: true, possibleDuplicateOf: true })
    .extend({ contact: ContactDetailsSchema }))();
/** How an enquirer prefers to be reached, and when: kept with the contact details, never on the bus. */
export const contactMethods = ['phone', 'email', 'text'] as const;
export const timesOfDay = ['morning', 'afternoon', 'evening', 'any'] as const;
export const PreferredContact = /* @__PURE__ */ (() =>
  z.strictObject({ method: z.enum(contactMethods), timeOfDay: z.enum(timesOfDay).optional() }))();

/** What a member of the public types for the postcode: the outward part is all that is kept ("cb4 1ab" → CB4). */
const outwardCode = (text: unknown) => {
  if (typeof text !== 'string') return text;
  const compact = text.trim().toUpperCase();
  if (compact === '') return undefined;
  const [outward = ''] = compact.split(/\s+/);
  // A whole postcode written without its space: the inward part is always a digit and two letters.
  return outward === compact && /^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$/.test(compact) ? compact.slice(0, -3) : outward;
};

/** The enquiry form's post (docs/api.md, the front door; the agency is the path's): what POST /enquiries takes, with the
 *  campaign and channel decided from the link it came from, the enquirer's consent, and the
 *  honeypot (`website`) and the page's served-at stamp, which only screen the post. */
export const PublicEnquiryBody = /* @__PURE__ */ (() => {
  const enquiry = commandBodySchema('EnquiryReceived').shape;
  const text = (max: number) => z.string().trim().max(max).optional();
  return z
    .strictObject({
      contact: ContactDetailsSchema,
      postcodeDistrict: z.preprocess(outwardCode, enquiry.postcodeDistrict),
      interests: enquiry.interests,
      preferredContact: PreferredContact.optional(),
      howHeard: Channel.optional(),
      attribution: z
        .strictObject({ source: text(100), medium: text(100), campaign: text(100), content: text(100), referrer: text(500) })
        .optional(),
      consent: z.literal(true, { error: 'the enquirer must agree to be contacted' }),
      website: z.string().max(500).optional(),
      servedAt: z.string().max(100).optional(),
    })
    .refine((body) => !body.contact || Boolean(body.contact.email || body.contact.phone), {
      path: ['contact', 'email'],
      message: 'give an email address or a phone number',
      // Judged whatever else is wrong, so that one answer names every bad field.
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    });
})();
export type PublicEnquiry = z.infer<typeof PublicEnquiryBody>;

/** A regional campaign names several agencies; absent, the campaign is the caller's agency's own. */
export const CampaignBody = /* @__PURE__ */ (() => commandBodySchema('CampaignLaunched').partial({ agencyIds: true }))();

/** Commands on one household: the event each records, and the id the server assigns when the body
 *  leaves it out (returned in the 202 answer). */
export const householdCommands = {
  CompleteInitialVisit: { detailType: 'InitialVisitCompleted' },
  StartAssessment: { detailType: 'AssessmentStarted' },
  ApproveHousehold: { detailType: 'HouseholdApproved' },
  CloseEnquiry: { detailType: 'EnquiryClosed' },
  ReferEnquiryOn: { detailType: 'EnquiryReferredOn' },
  HandOverHousehold: { detailType: 'EnquiryReferredOn' },
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
  CorrectStep: { detailType: 'StepCorrected' },
  ClearPossibleDuplicate: { detailType: 'PossibleDuplicateCleared' },
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
