// Every domain event of SPEC §3, defined once. The API validator, the publisher, the projectors
// and the tests all take their schema from here, so a field or a detail-type is never typed twice.
import * as z from 'zod';
import { ApprovalCategory, Channel, ClosureReason, HoldReason, Interest, PlacementType, ResignationReason } from './vocabulary';

export const EVENT_SOURCE = 'fostering.recruitment';

/** Identifiers become parts of DynamoDB keys, so `#` and spaces are refused. */
export const Identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'letters, digits, and _ . : - only (max 128)');
const Pence = z.number().int().nonnegative();
const Beds = z.number().int().min(0).max(20);
/** A share or probability. DynamoDB stores no number nearer 0 than 1e-130, so a vanishing fraction is refused, not a 500. */
const Fraction = z
  .number()
  .min(0)
  .max(1)
  .refine((n) => n <= 0 || n >= 1e-9, 'either 0 or at least 0.000000001');

/** Fields every event's `detail` carries. */
export const commonDetail = {
  eventId: Identifier,
  agencyId: Identifier,
  occurredAt: z.iso.datetime({ offset: true }),
  /** Who recorded it: the caller's token `sub` (an opaque staff id, never a name, SPEC §3). Every event
   *  a command records carries it; events other systems publish may leave it out. */
  recordedBy: Identifier.optional(),
};

const household = { householdId: Identifier };

/** One entry per detail-type: its fields besides the common ones. */
const eventFields = {
  CampaignLaunched: {
    campaignId: Identifier,
    name: z.string().trim().min(1).max(200),
    channels: z.array(Channel).min(1),
    startsOn: z.iso.date(),
    endsOn: z.iso.date().optional(),
    budgetPence: Pence.optional(),
    agencyIds: z.array(Identifier).min(1),
  },
  CampaignSpendRecorded: { campaignId: Identifier, amountPence: Pence, item: z.string().max(200).optional() },
  EnquiryReceived: {
    ...household,
    channel: Channel,
    campaignId: Identifier.optional(),
    referredByHouseholdId: Identifier.optional(),
    interests: z.array(Interest).max(20).optional(),
    postcodeDistrict: z
      .string()
      .regex(/^[A-Z]{1,2}[0-9][0-9A-Z]?$/, 'an outward postcode such as CB4')
      .optional(),
  },
  InitialVisitCompleted: { ...household },
  AssessmentStarted: { ...household, prospectiveBeds: Beds.min(1).optional() },
  HouseholdApproved: { ...household, category: ApprovalCategory, approvedBeds: Beds.min(1) },
  EnquiryClosed: { ...household, reason: ClosureReason },
  EnquiryReferredOn: { ...household, toAgencyId: Identifier },
  ApprovalChanged: { ...household, approvedBeds: Beds, category: ApprovalCategory.optional() },
  PlacementStarted: { ...household, placementId: Identifier, placementType: PlacementType.optional() },
  PlacementEnded: { ...household, placementId: Identifier },
  HoldStarted: { ...household, holdId: Identifier, reason: HoldReason, beds: Beds.min(1).optional() },
  HoldEnded: { ...household, holdId: Identifier },
  ResignationRiskFlagged: {
    ...household,
    reason: z.string().trim().min(1).max(200),
    likelihood: Fraction.optional(),
  },
  ResignationRiskCleared: { ...household },
  HouseholdResigned: { ...household, reason: ResignationReason, initiatedBy: z.enum(['carer', 'agency']) },
  ChildrenInCareRecorded: {
    childrenInCare: z.number().int().nonnegative(),
    fosteredInHouse: z.number().int().nonnegative(),
    fosteredAgency: z.number().int().nonnegative(),
  },
  ReferralRewardDue: { referrerHouseholdId: Identifier, referredHouseholdId: Identifier, amountPence: Pence },
  /** Beside SPEC §3's events: a manager's change to the agency's forecast settings, kept as its audit trail. */
  AgencySettingsChanged: {
    attritionRate: Fraction,
    targetInHouseShare: Fraction,
    /** The token's subject: an opaque id, never a name. */
    changedBy: Identifier.optional(),
  },
} as const;

export type DetailType = keyof typeof eventFields;
export const detailTypes = Object.keys(eventFields) as DetailType[];

type DetailShape<T extends DetailType> = typeof commonDetail & (typeof eventFields)[T];

function detailSchemaOf<T extends DetailType>(detailType: T) {
  return z.strictObject({ ...commonDetail, ...eventFields[detailType] } as DetailShape<T>);
}

/** The zod schema of each event's `detail`, by detail-type. Unknown fields are refused, not dropped. */
export const detailSchemas = Object.fromEntries(detailTypes.map((t) => [t, detailSchemaOf(t)])) as {
  [T in DetailType]: ReturnType<typeof detailSchemaOf<T>>;
};

export interface CommonDetail {
  eventId: string;
  agencyId: string;
  occurredAt: string;
  recordedBy?: string;
}
/** The `& CommonDetail` lets generic code read the common fields of any detail. */
export type EventDetail<T extends DetailType> = z.infer<(typeof detailSchemas)[T]> & CommonDetail;

/** A domain event as the domain sees it: its detail-type and its validated detail. */
export type DomainEvent = { [T in DetailType]: { detailType: T; detail: EventDetail<T> } }[DetailType];
export type DomainEventOf<T extends DetailType> = Extract<DomainEvent, { detailType: T }>;

/** Detail-types whose detail names one household (`householdId`). */
export const householdDetailTypes = detailTypes.filter((t) => 'householdId' in eventFields[t]) as Array<
  Extract<DetailType, { [T in DetailType]: 'householdId' extends keyof (typeof eventFields)[T] ? T : never }[DetailType]>
>;
export type HouseholdDetailType = (typeof householdDetailTypes)[number];
export type HouseholdEvent = DomainEventOf<HouseholdDetailType>;

/** The fields a command body may carry for an event: everything but the ids the server assigns. */
export function commandBodySchema<T extends DetailType>(detailType: T) {
  return detailSchemaOf(detailType)
    .omit({ eventId: true, agencyId: true, recordedBy: true })
    .extend({ occurredAt: commonDetail.occurredAt.optional() });
}

/** Pairs a detail-type with its detail: the one place the generic pairing needs telling to the compiler. */
export function domainEvent<T extends DetailType>(detailType: T, detail: EventDetail<T>): DomainEventOf<T> {
  return { detailType, detail } as DomainEventOf<T>;
}

/** Parses a detail with its detail-type's schema, typed for that detail-type. */
export function safeParseDetail<T extends DetailType>(
  detailType: T,
  input: unknown,
): { success: true; data: EventDetail<T> } | { success: false; issues: readonly z.core.$ZodIssue[] } {
  const parsed = detailSchemas[detailType].safeParse(input);
  return parsed.success ? { success: true, data: parsed.data as EventDetail<T> } : { success: false, issues: parsed.error.issues };
}

/** Validates a detail-type + detail pair as it comes off the bus. */
export function parseDomainEvent(
  detailType: string,
  detail: unknown,
): { success: true; event: DomainEvent } | { success: false; error: string } {
  if (!(detailTypes as string[]).includes(detailType)) {
    return { success: false, error: `unknown detail-type: ${detailType}` };
  }
  const parsed = detailSchemas[detailType as DetailType].safeParse(detail);
  if (!parsed.success) return { success: false, error: describeIssues(parsed.error.issues) };
  return { success: true, event: { detailType, detail: parsed.data } as DomainEvent };
}

export interface FieldError {
  field: string;
  message: string;
}

export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? // zod reports unknown keys against their parent object: name each one, as every bad field is named.
        issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'unknown field' }))
      : [{ field: issue.path.join('.') || '(body)', message: issue.message }],
  );
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return fieldErrors(issues)
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
}
