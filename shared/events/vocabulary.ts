// The fostering service's enumerations (docs/rules.md, enumerations). Extend only by adding.
import * as z from 'zod';

export const channels = [
  'website',
  'phone',
  'facebook',
  'social_other',
  'information_event',
  'radio',
  'print',
  'referral',
  'other',
] as const;
export const Channel = z.enum(channels);
export type Channel = z.infer<typeof Channel>;

export const approvalCategories = [
  'mainstream',
  'connected_person_reg24',
  'connected_person_reg27',
  'supported_lodgings',
  'short_breaks',
] as const;
export const ApprovalCategory = z.enum(approvalCategories);
export type ApprovalCategory = z.infer<typeof ApprovalCategory>;

/** Closures before an application was made. `duplicate`: the same people enquired again, so the
 *  household is no enquiry in any figure (docs/rules.md, duplicates). */
export const preApplicationClosureReasons = [
  'not_suitable',
  'not_proceeding',
  'no_response',
  'referred_elsewhere',
  'duplicate',
  'other',
] as const;
/** Ofsted's withdrawal codes after an application, plus a refusal by panel or decision maker. */
export const postApplicationClosureReasons = ['AW1', 'AW2', 'AW3', 'AW4', 'AW5', 'AW0', 'not_approved'] as const;
export const ClosureReason = z.enum([...preApplicationClosureReasons, ...postApplicationClosureReasons]);
export type ClosureReason = z.infer<typeof ClosureReason>;

export const placementTypes = [
  'time_limited',
  'matched_long_term',
  'respite',
  'short_break',
  'staying_put',
  'supported_lodgings',
  'unaccompanied',
  'other',
] as const;
export const PlacementType = z.enum(placementTypes);
export type PlacementType = z.infer<typeof PlacementType>;

export const carerInitiatedHoldReasons = ['carer_health', 'carer_family', 'carer_break', 'carer_building_work'] as const;
export const serviceInitiatedHoldReasons = ['standards_of_care', 'allegation', 'matching'] as const;
export const HoldReason = z.enum([...carerInitiatedHoldReasons, ...serviceInitiatedHoldReasons]);
export type HoldReason = z.infer<typeof HoldReason>;

export const resignationReasons = [
  'retirement',
  'moved_area',
  'personal_circumstances',
  'health',
  'joined_other_agency',
  'permanence_order',
  'standards_of_care',
  'never_used',
  'dissatisfied',
  'other',
] as const;
export const ResignationReason = z.enum(resignationReasons);
export type ResignationReason = z.infer<typeof ResignationReason>;

/** What an enquirer would like to offer: the words of the known ones are in ./interests (the list
 *  the dashboard offers and the demo sends); other systems may send other slugs, so it is not an enum. */
export { interestWords, knownInterests, interestInWords, type KnownInterest } from './interests';
export const Interest = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a lower-case slug such as teenagers');
export type Interest = z.infer<typeof Interest>;

/** How the recruitment team tried to reach a household (ContactAttempted). */
export const contactMethods = ['phone', 'email', 'text', 'letter', 'in_person'] as const;
export const ContactMethod = z.enum(contactMethods);
export type ContactMethod = z.infer<typeof ContactMethod>;

/** What came of a contact attempt; the last two ask for a follow-up on a date. */
export const contactOutcomes = ['reached', 'no_answer', 'left_message', 'information_sent', 'callback_requested', 'not_ready_yet'] as const;
export const ContactOutcome = z.enum(contactOutcomes);
export type ContactOutcome = z.infer<typeof ContactOutcome>;
/** Outcomes that need `followUpOn`: the household asked to be called again on a date. */
export const followUpOutcomes = ['callback_requested', 'not_ready_yet'] as const satisfies readonly ContactOutcome[];
/** Outcomes that show the household responded (docs/rules.md, follow-up state rule 6). */
export const respondedOutcomes = [
  'reached',
  'information_sent',
  'callback_requested',
  'not_ready_yet',
] as const satisfies readonly ContactOutcome[];

/** Steps inside an assessment (AssessmentMilestoneRecorded). */
export const assessmentMilestones = ['stage_one_completed', 'panel_recommended_approval', 'panel_recommended_refusal'] as const;
export const AssessmentMilestone = z.enum(assessmentMilestones);
export type AssessmentMilestone = z.infer<typeof AssessmentMilestone>;
