// The demo history's rates: sizes, conversions, mixes, durations and campaigns, each with its source.
// Apart from the generator so that a figure can be checked or tuned without reading how years are walked.
import type {
  ApprovalCategory,
  Channel,
  ClosureReason,
  HoldReason,
  KnownInterest,
  PlacementType,
  ResignationReason,
} from '../../shared/events/vocabulary';
import type { Dice } from './random-source';
import { regions } from '../../shared/wiring/regions';

/** The region the demo generates (shared/wiring/regions.json names its agencies). */
export const DEMO_REGION = 'east-of-england';

/** Approved households per agency at scale 1, before each agency's size factor: "a few hundred"
 *  (the 2019 report's council had 203). */
export const CARERS_PER_AGENCY = 200;
/** Agencies differ in size (a city, a county, a larger county), taken in turn. */
export const SIZE_FACTORS = [1, 0.6, 1.4];
/** Enquiries that reach an initial visit, and visits that lead to an application: 0.2 × 0.27 = 5.4%,
 *  about 6% of enquiries once referrals and
 *  households referred on (both keener) are added. Refer-a-friend enquiries convert better. */
export const P_VISIT = 0.2;
export const P_APPLY_AFTER_VISIT = 0.27;
export const REFERRAL_CONVERSION_BOOST = 1.8;
/** How many more approvals those keener households bring than the plain rates give (measured). */
export const KEENER_APPROVALS = 1.2;
/** Assessments of enquirers that end in approval; with connected persons' (nearly all approved)
 *  about half of concluded assessments, the national figure. */
export const P_APPROVED = 0.42;
/** Enquiries that go quiet: no answer to the calls, closed as no_response after some weeks (a team
 *  closes stale enquiries rather than leaving them overdue for years). */
export const P_GONE_QUIET = 0.05;
/** A first response within the target of one working day (most services answer most enquiries the
 *  same or the next working day); the rest within a fortnight. */
export const P_FIRST_RESPONSE_ON_TIME = 0.85;
/** What the first call or message achieves. */
export const FIRST_CONTACT_OUTCOMES = { reached: 0.55, left_message: 0.2, no_answer: 0.15, information_sent: 0.1 } as const;
/** Pre-application outcomes that are a referral on to a neighbouring agency of the region. */
export const P_REFERRED_ON = 0.03;
/** Where the region has a hub, the enquiries from the web that reach it rather than the council: most
 *  (a hub is the region's front door; some people still find their council's own page). */
export const WEB_CHANNELS: ReadonlySet<Channel> = new Set(['website', 'facebook', 'social_other']);
export const P_WEB_ENQUIRY_AT_HUB = 0.85;
/** Days from the initial visit to the handover: the hub's write-up, then the council takes it on. */
export const HANDOVER_DAYS: [number, number] = [1, 10];
/** Connected-person households assessed each year, per approved household. */
export const CONNECTED_PER_CARER_YEAR = 0.035;
/** Temporary (reg 24) approvals confirmed as connected-person (reg 27) carers. */
export const P_REG24_CONFIRMED = 0.85;
/** The share of households that leave in a year: 12–15% (the band; the report's 10% is
 *  its council's "national average" of an earlier year). */
export const YEARLY_LEAVERS = 0.135;
/** Yearly resignation hazard by category, tuned so that 12–15% of households leave each year once
 *  connected persons leaving when their child does are added. */
export const RESIGNATION_HAZARD: Record<ApprovalCategory, number> = {
  mainstream: 0.09,
  short_breaks: 0.1,
  supported_lodgings: 0.13,
  connected_person_reg24: 0.085,
  connected_person_reg27: 0.085,
};
/** The opening carers by category: the 2019 report's 142 / 12 / 23 / 12 / 14 households. */
export const OPENING_CATEGORIES: Record<ApprovalCategory, number> = {
  mainstream: 142,
  connected_person_reg24: 5,
  connected_person_reg27: 23,
  supported_lodgings: 12,
  short_breaks: 14,
};
/** Approved beds: mainstream households average 1.94 (the report's 276 beds for 142 households). */
export const BEDS: Record<ApprovalCategory, Record<number, number>> = {
  mainstream: { 1: 0.28, 2: 0.52, 3: 0.17, 4: 0.03 },
  short_breaks: { 1: 0.6, 2: 0.35, 3: 0.05 },
  supported_lodgings: { 1: 0.85, 2: 0.15 },
  connected_person_reg24: { 1: 0.7, 2: 0.25, 3: 0.05 },
  connected_person_reg27: { 1: 0.7, 2: 0.25, 3: 0.05 },
};
export const MAX_BEDS: Record<ApprovalCategory, number> = {
  mainstream: 4,
  short_breaks: 3,
  supported_lodgings: 2,
  connected_person_reg24: 3,
  connected_person_reg27: 3,
};
/** Approval changes (a bed more or fewer) per household a year. */
export const APPROVAL_CHANGES_PER_YEAR = 0.06;
/** Holds a household asks for or the service imposes, per household a year, and their length in
 *  days. About one household in ten is on hold at a time, most with a secondary vacancy (the report:
 *  21 of 203, 15 of them secondary). */
export const HOUSEHOLD_HOLDS: ReadonlyArray<{ perYear: number; reasons: Partial<Record<HoldReason, number>>; days: [number, number] }> = [
  { perYear: 0.25, reasons: { carer_health: 0.3, carer_family: 0.35, carer_break: 0.2, carer_building_work: 0.15 }, days: [30, 240] },
  { perYear: 0.012, reasons: { standards_of_care: 1 }, days: [40, 150] },
  { perYear: 0.015, reasons: { allegation: 1 }, days: [30, 120] },
];
/** A standards-of-care concern that ends in deregistration. */
export const P_STANDARDS_DEREGISTERED = 0.35;
/** A second or third bed kept free to match the right child with those already placed. */
export const P_MATCHING_HOLD = 0.5;
/** Days a bed stays empty between placements, by bed (first, second, third and more). */
export const MEAN_GAP_DAYS = [40, 110, 200];
/** Mainstream households whose terms few children match (one age range, no teenagers, ...): their
 *  beds stay empty eight times as long, so a few carers at a time have had no child for a year, the
 *  ones the resignation forecast lists as at risk. */
export const P_HARD_TO_MATCH = 0.1;
export const HARD_TO_MATCH_GAP_FACTOR = 8;
/** Placement types by the carer's category: the report's 117 time-limited, 66 matched, 3
 *  unaccompanied, 11 staying put, 10 supported lodgings, 26 link (short breaks). */
export const PLACEMENT_TYPES: Record<ApprovalCategory, Partial<Record<PlacementType, number>>> = {
  mainstream: { time_limited: 0.78, matched_long_term: 0.12, respite: 0.06, unaccompanied: 0.03, other: 0.01 },
  short_breaks: { short_break: 0.92, respite: 0.08 },
  supported_lodgings: { supported_lodgings: 0.95, other: 0.05 },
  connected_person_reg24: { time_limited: 1 },
  connected_person_reg27: { time_limited: 0.5, matched_long_term: 0.5 },
};
/** Newly approved carers never asked to take a child, who drift away within two years (the report:
 *  "approved in 2018 but has never accepted a child into their home"). */
export const P_NEVER_PLACED = 0.04;
/** A matched young person who turns 18 and stays put with the carer. */
export const P_STAYING_PUT = 0.3;
/** Resignations flagged as a risk beforehand, and flags raised that come to nothing, a year. */
export const P_RESIGNATION_FLAGGED = 0.45;
export const FALSE_ALARMS_PER_YEAR = 0.04;
export const RESIGNATION_REASONS: Partial<Record<ResignationReason, number>> = {
  retirement: 0.2,
  moved_area: 0.14,
  personal_circumstances: 0.2,
  health: 0.14,
  joined_other_agency: 0.04,
  dissatisfied: 0.07,
  permanence_order: 0.08,
  other: 0.08,
};
/** Children in care per in-house fostered child (the report: 769 in care, 272 fostered in house),
 *  and children placed with independent agencies per child in care. */
export const CHILDREN_IN_CARE_PER_IN_HOUSE_PLACEMENT = 769 / 272;
export const AGENCY_PLACED_SHARE_OF_CHILDREN_IN_CARE = 0.22;
/** Placement types of children who are fostered (not young adults, not short breaks). */
export const FOSTERED_TYPES: ReadonlySet<PlacementType> = new Set([
  'time_limited',
  'matched_long_term',
  'respite',
  'unaccompanied',
  'other',
]);

/** The agencies' settings: the yearly leavers the history is made with, so that the forecast's "average
 *  year" is this history's, and an in-house share above the one the history reaches (about 65%), as a
 *  council bringing more children's placements in house would set. */
export const SETTINGS = { attritionRate: YEARLY_LEAVERS, targetInHouseShare: 0.7 };
/** Each demo agency's name for its service, as its papers give it. */
export const SERVICE_NAMES: Record<string, string> = {
  cambs: 'Cambridgeshire County Council Fostering Service',
  peterborough: 'Peterborough City Council Fostering Service',
  norfolk: 'Norfolk County Council Fostering Service',
  'eoe-hub': 'East of England Fostering Recruitment Hub',
};

/** Enquiries by month (January's New Year peak, the summer dip) and by weekday (Sunday first). */
export const MONTHLY_ENQUIRIES = [1.35, 1.05, 1, 0.95, 1.05, 1, 0.8, 0.75, 1.05, 1, 0.9, 0.7];
export const WEEKDAY_ENQUIRIES = [0.55, 1.2, 1.15, 1.1, 1.05, 0.95, 0.55];
export const BACKGROUND_CHANNELS: Partial<Record<Channel, number>> = {
  website: 0.42,
  phone: 0.18,
  facebook: 0.14,
  social_other: 0.06,
  information_event: 0.04,
  radio: 0.02,
  print: 0.03,
  referral: 0.03,
  other: 0.08,
};
export const INTERESTS: Record<KnownInterest, number> = {
  teenagers: 0.2,
  babies_and_toddlers: 0.12,
  siblings: 0.1,
  respite: 0.1,
  short_breaks: 0.06,
  parent_and_child: 0.04,
  supported_lodgings: 0.05,
  unaccompanied_children: 0.03,
};
export const PRE_APPLICATION_CLOSURES: Partial<Record<ClosureReason, number>> = {
  not_proceeding: 0.4,
  no_response: 0.35,
  not_suitable: 0.18,
  other: 0.07,
};
export const AFTER_VISIT_CLOSURES: Partial<Record<ClosureReason, number>> = {
  not_proceeding: 0.5,
  not_suitable: 0.33,
  no_response: 0.12,
  other: 0.05,
};
/** Applications that do not end in approval, by Ofsted code; `not_approved` is the panel's no. */
export const WITHDRAWALS: Partial<Record<ClosureReason, number>> = {
  AW1: 0.18,
  AW2: 0.08,
  AW3: 0.34,
  AW4: 0.1,
  AW5: 0.04,
  AW0: 0.11,
  not_approved: 0.15,
};

/** Outward postcodes of each council's area, as the demo region's file maps them (the hub's suggestion
 *  reads the same map); agencies of other names take these in turn. */
export const POSTCODE_DISTRICTS: Readonly<Record<string, readonly string[]>> = regions[DEMO_REGION]?.postcodeDistricts ?? {};
export const DISTRICTS_IN_TURN = Object.values(POSTCODE_DISTRICTS);

export interface CampaignPlan {
  key: string;
  name: string;
  /** Month and day of its start and end. */
  from: [number, number];
  to: [number, number];
  channels: Channel[];
  budgetPounds: [number, number];
  /** Extra enquiries while it runs, as a share of the usual volume. */
  lift: number;
  interest?: KnownInterest;
  /** Run by the first agency for itself and the second (Fostering Fortnight). */
  regional?: boolean;
}

/** The year's campaigns: the report's April consolidation, Fostering Fortnight, the July Link
 *  campaign, September's Fostering Career, December's Wishes and January's New Year New You. */
export const CAMPAIGNS: readonly CampaignPlan[] = [
  {
    key: 'new-year',
    name: 'New Year New You',
    from: [1, 2],
    to: [1, 31],
    channels: ['facebook', 'website', 'print'],
    budgetPounds: [4000, 7000],
    lift: 0.5,
  },
  {
    key: 'spring',
    name: 'Spring consolidation',
    from: [4, 1],
    to: [4, 30],
    channels: ['radio', 'facebook', 'website'],
    budgetPounds: [5000, 9000],
    lift: 0.4,
  },
  {
    key: 'fortnight',
    name: 'Fostering Fortnight',
    from: [5, 13],
    to: [5, 26],
    channels: ['facebook', 'radio', 'social_other'],
    budgetPounds: [6000, 12000],
    lift: 0.7,
    regional: true,
  },
  {
    key: 'link',
    name: 'Link carers (short breaks)',
    from: [7, 1],
    to: [8, 31],
    channels: ['information_event', 'facebook'],
    budgetPounds: [3000, 5000],
    lift: 0.25,
    interest: 'short_breaks',
  },
  {
    key: 'career',
    name: 'Fostering Career',
    from: [9, 1],
    to: [10, 31],
    channels: ['facebook', 'website', 'radio'],
    budgetPounds: [5000, 9000],
    lift: 0.4,
  },
  {
    key: 'wishes',
    name: 'Christmas Wishes',
    from: [12, 1],
    to: [12, 24],
    channels: ['facebook', 'social_other', 'website'],
    budgetPounds: [2000, 4000],
    lift: 0.3,
  },
];
/** Enquiries keep coming from a campaign for a while after it ends. */
export const CAMPAIGN_TAIL_DAYS = 14;
/** The refer-a-friend scheme (the report's, launched in October 2019), from the first October. */
export const REFER_A_FRIEND = { campaignId: 'refer-a-friend', name: 'Refer a friend', budgetPounds: 1500, shareOfEnquiries: 0.035 };
export const SPEND_ITEMS: Record<Channel, string> = {
  facebook: 'Facebook lead-generation adverts',
  radio: 'Local radio advertising',
  website: 'Online advertising',
  print: 'Printed materials for schools and colleges',
  information_event: 'Information events',
  social_other: 'Social media films',
  phone: 'Call handling',
  referral: 'Refer-a-friend leaflets',
  other: 'Other marketing',
};

/** How long a placement of each type lasts, in days. */
export function placementDays(dice: Dice, type: PlacementType): number {
  switch (type) {
    case 'time_limited':
      return Math.round(Math.min(1100, Math.max(14, dice.logNormal(180, 2.2))));
    case 'matched_long_term':
      return dice.int(500, 2500);
    case 'unaccompanied':
      return dice.int(200, 900);
    case 'respite':
      return dice.int(2, 10);
    case 'short_break':
      return dice.int(300, 1100);
    case 'staying_put':
      return dice.int(250, 1000);
    case 'supported_lodgings':
      return dice.int(150, 700);
    case 'other':
      return dice.int(30, 300);
  }
}
