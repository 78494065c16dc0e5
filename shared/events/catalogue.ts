// Every domain event (docs/rules.md, events), defined once. The API validator, the publisher, the projectors
// and the tests all take their schema from here, so a field or a detail-type is never typed twice.
import * as z from 'zod';
import {
  ApprovalCategory,
  AssessmentMilestone,
  Channel,
  ClosureReason,
  ContactMethod,
  ContactOutcome,
  followUpOutcomes,
  HoldReason,
  Interest,
  PlacementType,
  ResignationReason,
} from './vocabulary';

export const EVENT_SOURCE = 'fostering.recruitment';

// ---- Bounds on every input: whoever sends it, the API or another system on the bus ----

/** Identifiers become parts of DynamoDB keys: 1–64 letters, digits, `-`, `_` or `.`. */
export const Identifier = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1 to 64 letters, digits, -, _ or .');
/** A token's `sub`: opaque, but not always of the Identifier set (an IdP may use `@` or `|`), so any
 *  printable characters without spaces, at most 128. */
export const StaffId = z.string().regex(/^[\x21-\x7e]{1,128}$/, '1 to 128 printable characters, no spaces');
/** Arrays carry at most this many entries. */
export const MAX_ARRAY_ENTRIES = 20;
/** £10,000,000 a record, in pence. */
export const MAX_PENCE = 1_000_000_000;
const Pence = z.number().int().nonnegative().max(MAX_PENCE, 'at most 1000000000 pence (£10m) a record');
const Beds = z.number().int().min(0).max(20);
/** A share or probability. DynamoDB stores no number nearer 0 than 1e-130, so a vanishing fraction is refused, not a 500. */
const Fraction = z
  .number()
  .min(0)
  .max(1)
  .refine((n) => n <= 0 || n >= 1e-9, 'either 0 or at least 0.000000001');
const Count = z.number().int().nonnegative().max(1_000_000);
const listOf = <T extends z.ZodType>(entry: T) => z.array(entry).max(MAX_ARRAY_ENTRIES, `at most ${MAX_ARRAY_ENTRIES} entries`);

export const FIRST_DATE = '1970-01-01';
export const LAST_DATE = '2100-12-31';
/** A calendar date from 1970 to 2100: nothing outside can be in a window. */
/** One message per bad date: its form first, and its range only for a real date. */
export const CalendarDate = z.iso
  .date({ error: 'a date written YYYY-MM-DD, such as 2019-09-30' })
  .pipe(z.string().refine((date) => date >= FIRST_DATE && date <= LAST_DATE, 'a date from 1970-01-01 to 2100-12-31'));
/** How far ahead of this server's clock an event may be dated (clocks differ a little). */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** An instant with `Z` or an offset, from 1970-01-01 to five minutes from now, compared as UTC. */
export const EventInstant = z.iso.datetime({ offset: true }).superRefine((text, context) => {
  const at = Date.parse(text);
  if (!(at >= 0)) context.addIssue({ code: 'custom', message: 'must not be before 1970-01-01T00:00:00Z' });
  else if (at > Date.now() + CLOCK_SKEW_MS) context.addIssue({ code: 'custom', message: 'must not be in the future' });
});

/** The longest window a read covers. */
export const MAX_WINDOW_YEARS = 10;
/** `to` on or after `from`, and at most ten years after it: for every `from`/`to` query. */
export function checkWindow(window: { from?: string; to?: string }, context: z.core.$RefinementCtx): void {
  const { from, to } = window;
  if (from === undefined || to === undefined) return;
  if (to < from) context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (to > `${String(Number(from.slice(0, 4)) + MAX_WINDOW_YEARS).padStart(4, '0')}${from.slice(4)}`) {
    context.addIssue({ code: 'custom', path: ['to'], message: `a window spans at most ${MAX_WINDOW_YEARS} years` });
  }
}

/** How long contact details are kept (days), by what the household became: the Fostering Services
 *  (England) Regulations 2011, reg. 32, set the applicants' and carers' minimums; an enquiry that never
 *  reached an application has none in law. An agency may set longer, never shorter. */
export const retentionPeriods = {
  enquiryRetentionDays: { byDefault: 730, minimum: 1, minimumIs: '1 day' },
  applicantRetentionDays: { byDefault: 1095, minimum: 1095, minimumIs: 'three years (reg. 32)' },
  carerRetentionDays: { byDefault: 3653, minimum: 3653, minimumIs: 'ten years (reg. 32)' },
} as const;
export type RetentionPeriodName = keyof typeof retentionPeriods;
export const MAX_RETENTION_DAYS = 36_500;
const retentionPeriod = (name: RetentionPeriodName) =>
  z
    .number()
    .int()
    .min(retentionPeriods[name].minimum, `at least ${retentionPeriods[name].minimum} days: ${retentionPeriods[name].minimumIs}`)
    .max(MAX_RETENTION_DAYS);

/** Fields every event's `detail` carries. */
export const commonDetail = {
  eventId: Identifier,
  agencyId: Identifier,
  occurredAt: EventInstant,
  /** Who recorded it: the caller's token `sub` (an opaque staff id, never a name). Every event
   *  a command records carries it; events other systems publish may leave it out. */
  recordedBy: StaffId.optional(),
};

const household = { householdId: Identifier };
/** A postcode's outward part, its district (CB4): the one part of an address an enquiry records. */
export const PostcodeDistrict = z.string().regex(/^[A-Z]{1,2}[0-9][0-9A-Z]?$/, 'an outward postcode such as CB4');

/** What staff say on the phone for a household, e.g. CAMBS-2019-0042. */
export const HouseholdReference = z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,39}$/, 'capital letters, digits and - (e.g. CAMBS-2019-0042)');

/** A campaign's code in its tracking link: 3–40 lower-case letters, digits and -. */
export const TrackingCode = z.string().regex(/^[a-z0-9-]{3,40}$/, '3 to 40 lower-case letters, digits or -');

/** One entry per detail-type: its fields besides the common ones. */
const eventFields = {
  CampaignLaunched: {
    campaignId: Identifier,
    name: z.string().trim().min(1).max(200),
    channels: listOf(Channel).min(1),
    startsOn: CalendarDate,
    endsOn: CalendarDate.optional(),
    budgetPence: Pence.optional(),
    agencyIds: listOf(Identifier).min(1),
    /** What the campaign's tracking link carries (`utm_campaign`): unique in each agency it names. A
     *  launch without one is given one derived from the name (shared/domain/front-door.ts). */
    trackingCode: TrackingCode.optional(),
  },
  CampaignSpendRecorded: { campaignId: Identifier, amountPence: Pence, item: z.string().max(200).optional() },
  EnquiryReceived: {
    ...household,
    channel: Channel,
    campaignId: Identifier.optional(),
    referredByHouseholdId: Identifier.optional(),
    interests: listOf(Interest).optional(),
    postcodeDistrict: PostcodeDistrict.optional(),
    /** Given by the API when it logs the enquiry; another system's event may bring its own or none. */
    reference: HouseholdReference.optional(),
    /** The household's key in the system or spreadsheet it came from (an import's row key): found by search. */
    externalRef: z.string().trim().min(1).max(100).optional(),
    /** Households of the agency whose email or phone this enquiry's matches, earliest enquiry first:
     *  found by the service when it first stores the enquiry (docs/rules.md, duplicates). Ids only. */
    possibleDuplicateOf: listOf(Identifier).min(1).optional(),
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
  // The reason is one of the enumeration: what a manager writes in words is a note kept apart with the
  // contact details (shared/store/contacts.ts), never on the bus or its archive.
  ResignationRiskFlagged: { ...household, reason: ResignationReason, likelihood: Fraction.optional() },
  ResignationRiskCleared: { ...household },
  HouseholdResigned: { ...household, reason: ResignationReason, initiatedBy: z.enum(['carer', 'agency']) },
  ChildrenInCareRecorded: {
    childrenInCare: Count,
    fosteredInHouse: Count,
    fosteredAgency: Count,
  },
  ReferralRewardDue: { referrerHouseholdId: Identifier, referredHouseholdId: Identifier, amountPence: Pence },
  ContactAttempted: {
    ...household,
    method: ContactMethod,
    outcome: ContactOutcome,
    /** Required for callback_requested and not_ready_yet (crossFieldRules below). */
    followUpOn: CalendarDate.optional(),
  },
  AssessmentMilestoneRecorded: { ...household, milestone: AssessmentMilestone },
  /** A step of the household recorded by mistake: it did not happen. The event stays in the record
   *  and every figure leaves it out (docs/rules.md, corrections). */
  StepCorrected: { ...household, correctedEventId: Identifier },
  /** Recruitment found that a household marked a possible duplicate is not one: the mark is cleared. */
  PossibleDuplicateCleared: { ...household },
  /** The service's own event: a manager's change to the agency's forecast settings, kept as its audit trail. */
  AgencySettingsChanged: {
    attritionRate: Fraction,
    targetInHouseShare: Fraction,
    // The timescale targets (docs/rules.md, the working day); a change without one keeps the one in force.
    firstResponseWorkingDays: z.number().int().min(0).max(60).optional(),
    initialVisitWorkingDays: z.number().int().min(0).max(120).optional(),
    applicationToApprovalDays: z.number().int().min(1).max(1000).optional(),
    // How long contact details are kept after a closure or resignation; a change without one keeps the one in force.
    enquiryRetentionDays: retentionPeriod('enquiryRetentionDays').optional(),
    applicantRetentionDays: retentionPeriod('applicantRetentionDays').optional(),
    carerRetentionDays: retentionPeriod('carerRetentionDays').optional(),
    /** The service's name as its papers and pages give it (e.g. "Cambridgeshire County Council Fostering Service"). */
    serviceName: z.string().trim().min(1).max(120).optional(),
    /** The service's privacy notice as its enquiry form shows it: a short text and a link to the whole. */
    privacyNoticeText: z.string().trim().min(1).max(1000).optional(),
    privacyNoticeUrl: z
      .url({ protocol: /^https?$/, error: 'an http or https address' })
      .max(500)
      .optional(),
    /** The token's subject: an opaque id, never a name. */
    changedBy: StaffId.optional(),
  },
} as const;

export type DetailType = keyof typeof eventFields;
export const detailTypes = Object.keys(eventFields) as DetailType[];

type DetailShape<T extends DetailType> = typeof commonDetail & (typeof eventFields)[T];

function detailSchemaOf<T extends DetailType>(detailType: T) {
  return z.strictObject({ ...commonDetail, ...eventFields[detailType] } as DetailShape<T>);
}

/** Rules across fields of one detail, checked wherever a detail is (bus and API alike). Kept apart
 *  from the field shapes because zod cannot omit fields from an object that carries a refinement. */
const crossFieldRules: { [T in DetailType]?: (detail: z.infer<ReturnType<typeof detailSchemaOf<T>>>, ctx: z.RefinementCtx) => void } = {
  ContactAttempted: (detail, ctx) => {
    if ((followUpOutcomes as readonly string[]).includes(detail.outcome) && detail.followUpOn === undefined) {
      ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: `required when the outcome is ${detail.outcome}` });
    }
    // An occurredAt that is no instant is named by its own check; this rule cannot be judged then.
    const attemptedAt = Date.parse(detail.occurredAt);
    if (!Number.isFinite(attemptedAt)) return;
    // Judged only for an attempt that already happened: a future date is refused as such.
    const attemptedOn = new Date(attemptedAt).toISOString().slice(0, 10);
    if (detail.followUpOn !== undefined && detail.followUpOn < attemptedOn && attemptedAt <= Date.now() + CLOCK_SKEW_MS) {
      ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: 'must not be before the attempt' });
    }
  },
};

function checkedDetailSchemaOf<T extends DetailType>(detailType: T) {
  const schema = detailSchemaOf(detailType);
  const rule = crossFieldRules[detailType] as ((detail: unknown, ctx: z.RefinementCtx) => void) | undefined;
  return rule ? schema.superRefine(rule) : schema;
}

/** The zod schema of each event's `detail`, by detail-type. Unknown fields are refused, not dropped. */
export const detailSchemas = Object.fromEntries(detailTypes.map((t) => [t, checkedDetailSchemaOf(t)])) as {
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
