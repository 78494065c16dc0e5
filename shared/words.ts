// The service's words for the API's codes, for the dashboard, the committee report and the CSV exports
// alike. Typed against the vocabulary, so a code added there and not worded here fails the type check;
// only types are imported (its zod schemas stay out of the browser bundle).
import type {
  ApprovalCategory,
  Channel,
  ContactMethod,
  ContactOutcome,
  HoldReason,
  PlacementType,
  ResignationReason,
  postApplicationClosureReasons,
  preApplicationClosureReasons,
} from './events/vocabulary';
import type { HouseholdDetailType } from './events/catalogue';
import type { Role } from './wiring/roles';
import type { HouseholdStatus, Stage } from './domain/household';

export const roleWords: Record<Role, { name: string; does: string }> = {
  recruitment: { name: 'Recruitment team', does: 'logs enquiries and moves households on; sees contact details' },
  marketing: { name: 'Marketing', does: 'launches campaigns, records their spend, reads what each converted and cost' },
  manager: { name: 'Service manager', does: 'records placements, holds and resignations; reads capacity, sufficiency and the forecast' },
  regional: { name: 'Regional hub', does: 'reads the figures of every agency in its region together' },
};

export const channelWords: Record<Channel, string> = {
  website: 'Website',
  phone: 'Phone call',
  facebook: 'Facebook',
  social_other: 'Other social media',
  information_event: 'Information event',
  radio: 'Radio',
  print: 'Print',
  referral: 'Refer a friend',
  other: 'Other',
};

export const categoryWords: Record<ApprovalCategory, string> = {
  mainstream: 'Mainstream (short-term, long-term, respite)',
  connected_person_reg24: 'Connected person (temporary, reg. 24)',
  connected_person_reg27: 'Connected person (reg. 27)',
  supported_lodgings: 'Supported lodgings',
  short_breaks: 'Short breaks (link carers)',
};

type PreApplication = (typeof preApplicationClosureReasons)[number];
type PostApplication = (typeof postApplicationClosureReasons)[number];

export const closureBeforeApplicationWords: Record<PreApplication, string> = {
  not_suitable: 'Not suitable',
  not_proceeding: 'Decided not to proceed',
  no_response: 'No response',
  referred_elsewhere: 'Referred to another agency',
  duplicate: 'Duplicate: the same people enquired again',
  other: 'Other reason',
};
export const closureAfterApplicationWords: Record<PostApplication, string> = {
  AW1: 'Withdrew: fostering not as expected (AW1)',
  AW2: 'Withdrew: assessment not as expected (AW2)',
  AW3: 'Withdrew: household circumstances changed (AW3)',
  AW4: 'Withdrew: financial reasons (AW4)',
  AW5: 'Withdrew: concerned about allegations (AW5)',
  AW0: 'Withdrew: other or unknown (AW0)',
  not_approved: 'Not approved by panel or decision maker',
};
export const closureWords: Record<PreApplication | PostApplication, string> = {
  ...closureBeforeApplicationWords,
  ...closureAfterApplicationWords,
};

export const holdReasonWords: Record<HoldReason, string> = {
  carer_health: "Carer's health",
  carer_family: "Carer's family circumstances",
  carer_break: 'Carer taking a break',
  carer_building_work: 'Building work at home',
  standards_of_care: 'Standards of care concern',
  allegation: 'Allegation being looked into',
  matching: 'Kept free to match with children already placed',
};

export const placementTypeWords: Record<PlacementType | 'unspecified', string> = {
  time_limited: 'Time-limited',
  matched_long_term: 'Matched long-term',
  respite: 'Respite',
  short_break: 'Short break',
  staying_put: 'Staying put',
  supported_lodgings: 'Supported lodgings',
  unaccompanied: 'Unaccompanied child',
  other: 'Other',
  unspecified: 'Type not recorded',
};

export const resignationReasonWords: Record<ResignationReason, string> = {
  retirement: 'Retirement',
  moved_area: 'Moved away',
  personal_circumstances: 'Personal circumstances',
  health: 'Health',
  joined_other_agency: 'Joined another agency',
  permanence_order: 'Took a special guardianship or adoption order',
  standards_of_care: 'Standards of care',
  never_used: 'Never used',
  dissatisfied: 'Dissatisfied with the service',
  other: 'Other',
};

/** What an enquirer would like to offer: the shared list (zod-free, so it may be bundled here). */
export { interestWords, interestInWords } from './events/interests';

export const statusWords: Record<HouseholdStatus, string> = {
  open: 'Open',
  closed: 'Closed',
  approved: 'Approved foster carers',
  resigned: 'Resigned',
};

export const stageWords: Record<Stage, string> = {
  enquiry: 'Enquiry',
  initialVisit: 'Initial visit',
  assessment: 'Assessment',
  approved: 'Approved',
};

export const eventWords: Record<HouseholdDetailType, string> = {
  EnquiryReceived: 'Enquiry received',
  InitialVisitCompleted: 'Initial visit completed',
  AssessmentStarted: 'Applied: assessment started',
  HouseholdApproved: 'Approved as foster carers',
  EnquiryClosed: 'Closed',
  EnquiryReferredOn: 'Referred to another agency',
  ApprovalChanged: 'Approval changed',
  PlacementStarted: 'Child placed',
  PlacementEnded: 'Placement ended',
  HoldStarted: 'Beds put on hold',
  HoldEnded: 'Hold ended',
  ResignationRiskFlagged: 'Flagged as likely to resign',
  ResignationRiskCleared: 'Resignation risk cleared',
  HouseholdResigned: 'Resigned',
  ContactAttempted: 'Contact attempted',
  AssessmentMilestoneRecorded: 'Assessment milestone',
  StepCorrected: 'Corrected: a step recorded by mistake',
  PossibleDuplicateCleared: 'Not a duplicate: the mark cleared',
};

/** How a contact attempt was made, and what came of it. */
export const contactMethodWords: Record<ContactMethod, string> = {
  phone: 'Phone',
  email: 'Email',
  text: 'Text message',
  letter: 'Letter',
  in_person: 'In person',
};
export const contactOutcomeWords: Record<ContactOutcome, string> = {
  reached: 'Spoke to them',
  no_answer: 'No answer',
  left_message: 'Left a message',
  information_sent: 'Sent information',
  callback_requested: 'Asked for a call back',
  not_ready_yet: 'Not ready yet',
};
/** The words for a code, or the code itself when a newer API sends one this page does not know. */
export const wordFor = (table: Record<string, string>, code: string | null | undefined): string =>
  code == null ? '—' : (table[code] ?? code);
