// The demo's history: a region's fostering services over several years, generated from a seed. Pure
// (no AWS, no clock, no personal data): valid domain events in event-time order, the same every time.
import type { DetailType, DomainEvent, EventDetail } from '../../shared/events/catalogue';
import type {
  ApprovalCategory,
  Channel,
  ClosureReason,
  HoldReason,
  KnownInterest,
  PlacementType,
  ResignationReason,
} from '../../shared/events/vocabulary';
import {
  AFTER_VISIT_CLOSURES,
  AGENCY_PLACED_SHARE_OF_CHILDREN_IN_CARE,
  APPROVAL_CHANGES_PER_YEAR,
  BACKGROUND_CHANNELS,
  BEDS,
  CAMPAIGN_TAIL_DAYS,
  type CampaignPlan,
  CAMPAIGNS,
  CARERS_PER_AGENCY,
  CHILDREN_IN_CARE_PER_IN_HOUSE_PLACEMENT,
  CONNECTED_PER_CARER_YEAR,
  DISTRICTS_IN_TURN,
  FALSE_ALARMS_PER_YEAR,
  FOSTERED_TYPES,
  HARD_TO_MATCH_GAP_FACTOR,
  HOUSEHOLD_HOLDS,
  INTERESTS,
  KEENER_APPROVALS,
  MAX_BEDS,
  MEAN_GAP_DAYS,
  MONTHLY_ENQUIRIES,
  OPENING_CATEGORIES,
  P_APPLY_AFTER_VISIT,
  P_APPROVED,
  P_HARD_TO_MATCH,
  P_GONE_QUIET,
  P_FIRST_RESPONSE_ON_TIME,
  FIRST_CONTACT_OUTCOMES,
  HANDOVER_DAYS,
  P_WEB_ENQUIRY_AT_HUB,
  SERVICE_NAMES,
  WEB_CHANNELS,
  P_MATCHING_HOLD,
  P_NEVER_PLACED,
  P_REFERRED_ON,
  P_REG24_CONFIRMED,
  P_RESIGNATION_FLAGGED,
  P_STANDARDS_DEREGISTERED,
  P_STAYING_PUT,
  P_VISIT,
  PLACEMENT_TYPES,
  placementDays,
  POSTCODE_DISTRICTS,
  PRE_APPLICATION_CLOSURES,
  REFER_A_FRIEND,
  REFERRAL_CONVERSION_BOOST,
  RESIGNATION_HAZARD,
  RESIGNATION_REASONS,
  SETTINGS,
  SIZE_FACTORS,
  SPEND_ITEMS,
  WEEKDAY_ENQUIRIES,
  WITHDRAWALS,
  YEARLY_LEAVERS,
} from './rates';
import { Dice, hash32 } from './random-source';
import { addWorkingDays } from '../../shared/domain/working-days';

export { DEMO_REGION } from './rates';

export interface HistoryOptions {
  seed: number | string;
  agencyIds: readonly string[];
  /** The history runs from 1 January of this year ... */
  fromYear: number;
  /** ... for this many calendar years. */
  years: number;
  /** Multiplies the volumes (carers, enquiries); campaigns and spend stay as they are. Default 1. */
  scale?: number;
  /** The last day (UTC) included; default 31 December of the last year. Events up to it do not
   *  depend on it: a shorter history is a prefix of a longer one. */
  until?: string;
  /** The region's hub, if it has one (not among `agencyIds`): it answers most web enquiries, makes
   *  the first call and the initial visit, and hands each household on to its council. */
  hubAgencyId?: string;
}

/** One agency's history (the benchmark's): at scale 1 about 830 households a year (enquirers and
 *  carers), so ten years at scale 4 hold some 33,000. */
export function generateAgencyHistory(options: Omit<HistoryOptions, 'agencyIds'> & { agencyId: string }): DomainEvent[] {
  const { agencyId, ...rest } = options;
  return generateRegionHistory({ ...rest, agencyIds: [agencyId] });
}

// ---- Time: whole days since 1970-01-01, turned into instants when emitted -------------------------

type Day = number;
const DAY_MS = 86_400_000;
const dayOfDate = (date: string): Day => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOfDay = (day: Day): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOfYear = (year: number, month: number, date: number): Day => Date.UTC(year, month - 1, date) / DAY_MS;
/** Days from `day` to the next working day after it (Monday to Friday, bank holidays aside). */
const nextWorkingDayGap = (day: Day): number => dayOfDate(addWorkingDays(dateOfDay(day), 1)) - day;

// ---- Emitting -----------------------------------------------------------------------------------

type Fields<T extends DetailType> = Omit<EventDetail<T>, 'eventId' | 'agencyId' | 'occurredAt'>;
interface Planned {
  at: number;
  detailType: DetailType;
  agencyId: string;
  fields: object;
}
interface PlacementSpan {
  agencyId: string;
  type: PlacementType;
  start: number;
  end: number;
}
interface CarerRecord {
  householdId: string;
  approved: Day;
  resigned: Day;
}

/** One household's events, kept or dropped as a whole (an opening enquiry is kept only if it was
 *  still in progress when the history starts). */
class Story {
  readonly planned: Planned[] = [];
  readonly placements: PlacementSpan[] = [];
  carer?: CarerRecord & { agencyId: string };
  /** The day its recruitment ended (approval, or the closure it ended with). */
  concluded?: Day;

  constructor(private readonly dice: Dice) {}

  /** During office hours on that day (09:00–17:00 UTC), to the minute. */
  onDay<T extends DetailType>(detailType: T, agencyId: string, day: Day, fields: Fields<T>): number {
    return this.at(detailType, agencyId, day * DAY_MS + (9 * 60 + this.dice.int(0, 479)) * 60_000, fields);
  }

  at<T extends DetailType>(detailType: T, agencyId: string, at: number, fields: Fields<T>): number {
    this.planned.push({ at, detailType, agencyId, fields });
    return at;
  }
}

class Ledger {
  private readonly events: Array<{ at: number; seq: number; detailType: DetailType; detail: object }> = [];
  private seq = 0;
  private households = 0;
  readonly placements: PlacementSpan[] = [];
  readonly carers = new Map<string, CarerRecord[]>();

  constructor(private readonly tag: string) {}

  householdId(): string {
    return `h-${this.tag}-${(++this.households).toString(36).padStart(5, '0')}`;
  }

  keep(story: Story): void {
    for (const p of story.planned) {
      // Zero-padded so that ids sort as they were issued (the fold breaks time ties by eventId).
      const eventId = `ev-${this.tag}-${(++this.seq).toString(36).padStart(7, '0')}`;
      this.events.push({
        at: p.at,
        seq: this.seq,
        detailType: p.detailType,
        detail: { eventId, agencyId: p.agencyId, occurredAt: new Date(p.at).toISOString(), ...p.fields },
      });
    }
    this.placements.push(...story.placements);
    if (story.carer) {
      const { agencyId, ...carer } = story.carer;
      let list = this.carers.get(agencyId);
      if (!list) this.carers.set(agencyId, (list = []));
      list.push(carer);
    }
  }

  /** Every kept event before `endMs`, in event-time order. */
  history(endMs: number): DomainEvent[] {
    return this.events
      .filter((e) => e.at < endMs)
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map((e) => ({ detailType: e.detailType, detail: e.detail }) as DomainEvent);
  }
}

// ---- The region ---------------------------------------------------------------------------------

interface Agency {
  id: string;
  index: number;
  carers: number;
  enquiriesPerYear: number;
  connectedPerYear: number;
  districts: readonly string[];
  neighbours: string[];
  dice: Dice;
  /** The region's hub, which takes most of the agency's web enquiries. */
  hub?: string;
}

interface Period {
  start: Day;
  end: Day;
}

/**
 * Per agency (each constant of rates.ts says where its figure comes from): the carers and enquiries
 * open on 1 January of the first year, as a service going live would load them; named campaigns with
 * spend; enquiries with seasonal volumes; visits, applications (~6% of enquiries), approvals (~half
 * of concluded assessments, the rest withdrawn or not approved), a few referrals within the region;
 * connected-person carers; placements (never beyond the approved beds), holds, approval changes,
 * risk flags and resignations (12–15% of households a year); a children-in-care count each month
 * end; the agency's settings.
 */
export function generateRegionHistory(options: HistoryOptions): DomainEvent[] {
  const { agencyIds, fromYear, years } = options;
  const scale = options.scale ?? 1;
  if (agencyIds.length === 0 || new Set(agencyIds).size !== agencyIds.length) throw new Error('agencyIds: one or more, each once');
  if (!Number.isInteger(years) || years < 1) throw new Error('years: a whole number, 1 or more');
  if (!Number.isInteger(fromYear)) throw new Error('fromYear: a year');
  if (!(scale > 0)) throw new Error('scale: more than 0');
  if (options.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.until)) throw new Error('until: a date, YYYY-MM-DD');
  const hub = options.hubAgencyId;
  if (hub !== undefined && agencyIds.includes(hub)) throw new Error('hubAgencyId: not one of agencyIds (it has no carers of its own)');

  const seed = String(options.seed);
  const period: Period = { start: dayOfYear(fromYear, 1, 1), end: dayOfYear(fromYear + years, 1, 1) };
  const ledger = new Ledger(hash32(`ids:${seed}`).toString(36).slice(0, 4));
  const agencies: Agency[] = agencyIds.map((id, index) => {
    const carers = Math.max(1, Math.round(CARERS_PER_AGENCY * SIZE_FACTORS[index % SIZE_FACTORS.length]! * scale));
    // Enough enquiries to replace the carers who leave: approvals from enquiries ≈ yearly leavers
    // less the connected persons who stay.
    const connectedPerYear = CONNECTED_PER_CARER_YEAR * carers;
    const approvalsNeeded = YEARLY_LEAVERS * carers - P_REG24_CONFIRMED * connectedPerYear;
    const enquiriesPerYear = approvalsNeeded / (P_VISIT * P_APPLY_AFTER_VISIT * P_APPROVED * KEENER_APPROVALS);
    return {
      id,
      index,
      carers,
      enquiriesPerYear,
      connectedPerYear,
      districts: POSTCODE_DISTRICTS[id] ?? DISTRICTS_IN_TURN[index % DISTRICTS_IN_TURN.length]!,
      neighbours: agencyIds.filter((other) => other !== id),
      dice: new Dice(`${seed}:${id}`),
      ...(hub !== undefined ? { hub } : {}),
    };
  });

  for (const agency of agencies) {
    launchCampaigns(ledger, agency, agencyIds, fromYear, years);
    openingCarers(ledger, agency, period);
    connectedPersons(ledger, agency, period);
    enquiries(ledger, agency, agencies, fromYear, period);
  }
  for (const agency of agencies) childrenInCare(ledger, agency, period);
  // Last, and without dice, so that the rest of the history does not depend on it.
  for (const agency of agencies) settings(ledger, agency, period);
  if (hub !== undefined) settings(ledger, hub, period);

  const untilMs = options.until === undefined ? Infinity : (dayOfDate(options.until) + 1) * DAY_MS;
  // Never an event later than now: a history that runs to today stops at this moment.
  return ledger.history(Math.min(period.end * DAY_MS, untilMs, Date.now()));
}

// ---- Campaigns ----------------------------------------------------------------------------------

interface CampaignWindow {
  campaignId: string;
  start: Day;
  end: Day;
  lift: number;
  channels: Channel[];
  interest?: KnownInterest;
}

/** The campaigns an agency's enquiries may come from in a year (a regional one included). */
function campaignWindows(agency: Agency, year: number): CampaignWindow[] {
  return CAMPAIGNS.map((plan) => ({
    campaignId: campaignIdOf(plan, agency, year),
    start: dayOfYear(year, ...plan.from),
    end: dayOfYear(year, ...plan.to),
    lift: plan.lift,
    channels: plan.channels,
    interest: plan.interest,
  }));
}

/** Fostering Fortnight is shared by the first two agencies; any others run their own. */
function campaignIdOf(plan: CampaignPlan, agency: Agency, year: number): string {
  return plan.regional && agency.index >= 2 ? `${plan.key}-${year}-local` : `${plan.key}-${year}`;
}

function launchCampaigns(ledger: Ledger, agency: Agency, agencyIds: readonly string[], fromYear: number, years: number): void {
  const { dice } = agency;
  const story = new Story(dice);
  for (let year = fromYear; year < fromYear + years; year++) {
    for (const plan of CAMPAIGNS) {
      const shared = plan.regional && agency.index < 2;
      if (shared && agency.index === 1) continue; // launched and paid for by the first agency
      const start = dayOfYear(year, ...plan.from),
        end = dayOfYear(year, ...plan.to);
      const budgetPence = Math.round(dice.between(...plan.budgetPounds)) * 100;
      const campaignId = campaignIdOf(plan, agency, year);
      story.onDay('CampaignLaunched', agency.id, start - dice.int(10, 21), {
        campaignId,
        name: `${plan.name} ${year}`,
        channels: plan.channels,
        startsOn: dateOfDay(start),
        endsOn: dateOfDay(end),
        budgetPence,
        agencyIds: shared ? agencyIds.slice(0, 2) : [agency.id],
      });
      // Spent in two or three items, near the budget.
      const items = plan.channels.slice(0, dice.int(2, 3));
      let left = Math.round((budgetPence * dice.between(0.85, 1.02)) / 100);
      items.forEach((channel, i) => {
        const pounds = i === items.length - 1 ? left : Math.round(left * dice.between(0.35, 0.6));
        left -= pounds;
        story.onDay('CampaignSpendRecorded', agency.id, start + Math.floor(((end - start) * i) / items.length), {
          campaignId,
          amountPence: pounds * 100,
          item: SPEND_ITEMS[channel],
        });
      });
    }
  }
  const scheme = referAFriendStart(fromYear);
  story.onDay('CampaignLaunched', agency.id, scheme - 7, {
    campaignId: REFER_A_FRIEND.campaignId,
    name: REFER_A_FRIEND.name,
    channels: ['referral'],
    startsOn: dateOfDay(scheme),
    budgetPence: REFER_A_FRIEND.budgetPounds * 100,
    agencyIds: [agency.id],
  });
  story.onDay('CampaignSpendRecorded', agency.id, scheme, {
    campaignId: REFER_A_FRIEND.campaignId,
    amountPence: REFER_A_FRIEND.budgetPounds * 100,
    item: SPEND_ITEMS.referral,
  });
  ledger.keep(story);
}

const referAFriendStart = (fromYear: number): Day => dayOfYear(fromYear, 10, 1);

// ---- Enquiries and recruitment ------------------------------------------------------------------

/** Enquiries from ten months before the history starts, so that it opens with households in
 *  progress; of those, only the ones still in progress on its first day are kept. */
const LEAD_IN_DAYS = 300;

function enquiries(ledger: Ledger, agency: Agency, agencies: readonly Agency[], fromYear: number, period: Period): void {
  const { dice } = agency;
  const seasonal = (day: Day) => {
    const date = new Date(day * DAY_MS);
    return MONTHLY_ENQUIRIES[date.getUTCMonth()]! * WEEKDAY_ENQUIRIES[date.getUTCDay()]!;
  };
  const windows = new Map<number, CampaignWindow[]>();
  const windowsOf = (year: number) => {
    let found = windows.get(year);
    if (!found) windows.set(year, (found = year >= fromYear ? campaignWindows(agency, year) : []));
    return found;
  };
  const activeOn = (day: Day) => {
    const year = new Date(day * DAY_MS).getUTCFullYear();
    return [...windowsOf(year - 1), ...windowsOf(year)]
      .filter((w) => day >= w.start && day <= w.end + CAMPAIGN_TAIL_DAYS)
      .map((w) => ({ window: w, lift: day <= w.end ? w.lift : w.lift / 2 }));
  };
  // Scaled so that a year's enquiries, campaigns included, average the agency's yearly volume.
  let yearly = 0;
  const typicalYear = fromYear;
  for (let day = dayOfYear(typicalYear, 1, 1); day < dayOfYear(typicalYear + 1, 1, 1); day++) {
    yearly += seasonal(day) * (1 + activeOn(day).reduce((sum, a) => sum + a.lift, 0));
  }
  const perUnit = agency.enquiriesPerYear / yearly;
  const schemeStart = referAFriendStart(fromYear);
  let yearFactor = 1;

  for (let day = period.start - LEAD_IN_DAYS; day < period.end; day++) {
    const date = new Date(day * DAY_MS);
    // Enquiry volumes drift from year to year (the report: 171 this half-year against 224 last).
    if (date.getUTCMonth() === 0 && date.getUTCDate() === 1) yearFactor = dice.between(0.85, 1.12);
    const active = activeOn(day);
    const lift = active.reduce((sum, a) => sum + a.lift, 0);
    const count = dice.poisson(perUnit * seasonal(day) * (1 + lift) * yearFactor);
    for (let i = 0; i < count; i++) {
      const story = new Story(dice);
      const householdId = ledger.householdId();
      const referrer = day >= schemeStart && dice.chance(REFER_A_FRIEND.shareOfEnquiries) ? referrerOn(ledger, agency, day) : undefined;
      let channel: Channel;
      let campaign: CampaignWindow | undefined;
      if (referrer) {
        channel = 'referral';
      } else if (lift > 0 && dice.chance(Math.min(0.9, lift / (1 + lift) + 0.1))) {
        campaign = active[dice.index(active.map((a) => a.lift))]!.window;
        channel = dice.pick(campaign.channels);
      } else {
        channel = dice.weighted(BACKGROUND_CHANNELS);
      }
      const interests = new Set<KnownInterest>();
      if (campaign?.interest && dice.chance(0.7)) interests.add(campaign.interest);
      for (let n = dice.count({ 0: 0.45, 1: 0.4, 2: 0.15 }); n > 0; n--) interests.add(dice.weighted(INTERESTS));
      const at = day * DAY_MS + dice.int(7 * 60, 22 * 60 - 1) * 60_000;
      // Most web enquiries reach the region's hub, which answers them until the handover.
      const door = agency.hub !== undefined && WEB_CHANNELS.has(channel) && dice.chance(P_WEB_ENQUIRY_AT_HUB) ? agency.hub : agency.id;
      story.at('EnquiryReceived', door, at, {
        householdId,
        channel,
        ...(referrer
          ? { campaignId: REFER_A_FRIEND.campaignId, referredByHouseholdId: referrer }
          : campaign
            ? { campaignId: campaign.campaignId }
            : {}),
        ...(interests.size > 0 ? { interests: [...interests].sort() } : {}),
        ...(dice.chance(0.85) ? { postcodeDistrict: dice.pick(agency.districts) } : {}),
      });
      // The first response: most the same or the next working day, the rest within a fortnight.
      const firstDay = day + (dice.chance(P_FIRST_RESPONSE_ON_TIME) ? nextWorkingDayGap(day) : dice.int(3, 14));
      story.onDay('ContactAttempted', door, firstDay, {
        householdId,
        method: dice.weighted({ phone: 0.75, email: 0.2, text: 0.05 }),
        outcome: dice.weighted(FIRST_CONTACT_OUTCOMES),
      });
      recruit(
        story,
        { householdId, interests, boost: referrer ? REFERRAL_CONVERSION_BOOST : 1 },
        agency,
        agencies,
        'enquiry',
        day,
        period,
        true,
        door === agency.id ? undefined : door,
      );
      if (day >= period.start || story.concluded === undefined || story.concluded >= period.start) ledger.keep(story);
    }
  }
}

/** An approved carer of the agency on that day, who recommended a friend. */
function referrerOn(ledger: Ledger, agency: Agency, day: Day): string | undefined {
  const carers = ledger.carers.get(agency.id) ?? [];
  for (let attempt = 0; attempt < 10 && carers.length > 0; attempt++) {
    const carer = agency.dice.pick(carers);
    if (carer.approved < day && carer.resigned > day) return carer.householdId;
  }
  return undefined;
}

interface Prospect {
  householdId: string;
  interests: ReadonlySet<string>;
  boost: number;
}

/** A household's way from the stage it reached at `agency` on `day`: on to approval and a carer's
 *  life, or a closure, or a referral on to a neighbour that continues there. One that enquired at the
 *  region's hub (`atHub`) is the hub's until the initial visit, then handed over to `agency`. */
function recruit(
  story: Story,
  prospect: Prospect,
  agency: Agency,
  agencies: readonly Agency[],
  stage: 'enquiry' | 'visit',
  day: Day,
  period: Period,
  referable: boolean,
  atHub?: string,
): void {
  const { dice } = agency;
  const { householdId, boost } = prospect;
  let t = day;
  let where = atHub ?? agency.id;
  const closeOrReferOn = (reasons: Partial<Record<ClosureReason, number>>, reached: 'enquiry' | 'visit') => {
    if (dice.chance(P_GONE_QUIET)) {
      // Two more calls unanswered, then closed as no response.
      for (const gap of [dice.int(7, 14), dice.int(7, 21)]) {
        t += gap;
        story.onDay('ContactAttempted', where, t, { householdId, method: 'phone', outcome: 'no_answer' });
      }
      t += dice.int(14, 42);
      story.onDay('EnquiryClosed', where, t, { householdId, reason: 'no_response' });
      story.concluded = t;
      return;
    }
    t += dice.int(7, 60);
    // The hub closes what it does not hand over; only a council refers on.
    if (where === agency.id && referable && agency.neighbours.length > 0 && dice.chance(P_REFERRED_ON)) {
      const toAgencyId = dice.pick(agency.neighbours);
      story.onDay('EnquiryReferredOn', agency.id, t, { householdId, toAgencyId });
      const receiving = agencies.find((a) => a.id === toAgencyId)!;
      // Referred because of where they live, not because they were unsure: they carry on keen.
      recruit(story, { ...prospect, boost: Math.max(boost, 2) }, receiving, agencies, reached, t, period, false);
      return;
    }
    story.onDay('EnquiryClosed', where, t, { householdId, reason: dice.weighted(reasons) });
    story.concluded = t;
  };

  if (stage === 'enquiry') {
    if (!dice.chance(P_VISIT * boost)) return closeOrReferOn(PRE_APPLICATION_CLOSURES, 'enquiry');
    t += dice.int(4, 35);
    story.onDay('InitialVisitCompleted', where, t, { householdId });
  }
  if (where !== agency.id) {
    t += dice.int(...HANDOVER_DAYS);
    story.onDay('EnquiryReferredOn', where, t, { householdId, toAgencyId: agency.id });
    where = agency.id;
  }
  if (!dice.chance(Math.min(1, P_APPLY_AFTER_VISIT * boost))) return closeOrReferOn(AFTER_VISIT_CLOSURES, 'visit');

  const category: ApprovalCategory =
    prospect.interests.has('short_breaks') && dice.chance(0.75)
      ? 'short_breaks'
      : prospect.interests.has('supported_lodgings') && dice.chance(0.8)
        ? 'supported_lodgings'
        : 'mainstream';
  const prospectiveBeds = dice.count(BEDS[category]);
  t += dice.int(10, 70);
  story.onDay('AssessmentStarted', agency.id, t, { householdId, prospectiveBeds });
  if (dice.chance(Math.min(0.9, P_APPROVED * Math.sqrt(boost)))) {
    t += dice.int(120, 250); // to panel: the national timescale is eight months
    story.concluded = t;
    const approvedBeds = prospectiveBeds > 1 && dice.chance(0.15) ? prospectiveBeds - 1 : prospectiveBeds;
    carer(story, agency, period, { householdId, approvedDay: t, category, beds: approvedBeds, opening: false });
    return;
  }
  const reason = dice.weighted(WITHDRAWALS);
  t += reason === 'not_approved' ? dice.int(150, 250) : dice.int(20, 200);
  story.onDay('EnquiryClosed', agency.id, t, { householdId, reason });
  story.concluded = t;
}

// ---- Connected persons --------------------------------------------------------------------------

/** Family and friends approved to care for a child they know: no enquiry (the child's social worker
 *  brings them), a temporary reg 24 approval the day the child arrives, and a full assessment. */
function connectedPersons(ledger: Ledger, agency: Agency, period: Period): void {
  const { dice } = agency;
  for (let day = period.start; day < period.end; day++) {
    for (let n = dice.poisson(agency.connectedPerYear / 365); n > 0; n--) {
      const story = new Story(dice);
      const householdId = ledger.householdId();
      const children = dice.count(BEDS.connected_person_reg24);
      const morning = day * DAY_MS + dice.int(9 * 60, 11 * 60) * 60_000;
      story.at('AssessmentStarted', agency.id, morning, { householdId, prospectiveBeds: children });
      carer(story, agency, period, {
        householdId,
        approvedDay: day,
        approvedAt: morning + 30 * 60_000,
        category: 'connected_person_reg24',
        beds: children,
        opening: false,
      });
      ledger.keep(story);
    }
  }
}

// ---- Opening carers -----------------------------------------------------------------------------

/** The carers approved when the history starts, approved on their own (earlier) dates. */
function openingCarers(ledger: Ledger, agency: Agency, period: Period): void {
  const { dice } = agency;
  for (let i = 0; i < agency.carers; i++) {
    const story = new Story(dice);
    const category = dice.weighted(OPENING_CATEGORIES);
    // Years of service as a constant leaving rate would leave them; reg 24 approvals are recent.
    const tenure =
      category === 'connected_person_reg24'
        ? dice.int(1, 80)
        : category === 'connected_person_reg27'
          ? dice.int(100, 1500)
          : 30 + Math.min(25 * 365, Math.round(dice.exponential(6.5 * 365)));
    carer(story, agency, period, {
      householdId: ledger.householdId(),
      approvedDay: period.start - tenure,
      category,
      beds: dice.count(BEDS[category]),
      opening: true,
    });
    ledger.keep(story);
  }
}

// ---- A carer's life -----------------------------------------------------------------------------

interface NewCarer {
  householdId: string;
  approvedDay: Day;
  /** The approval's instant, when it must fall at a given time of its day. */
  approvedAt?: number;
  category: ApprovalCategory;
  beds: number;
  /** Approved before the history starts: only what is still running then (or ended in the year
   *  before) is emitted. */
  opening: boolean;
}

interface PlannedPlacement {
  slot: number;
  start: Day;
  end?: Day;
  type: PlacementType;
  startAt?: number;
}
interface PlannedHold {
  start: Day;
  end?: Day;
  reason: HoldReason;
  beds?: number;
  slot?: number;
}

/**
 * From approval to resignation: the beds are simulated one by one (each a run of placements and
 * empty spells), so the children placed never outnumber the approved beds; a bed removed by an
 * approval change is removed only once it is empty, and no child is placed while the household is
 * on hold.
 */
function carer(story: Story, agency: Agency, period: Period, c: NewCarer): void {
  const { dice } = agency;
  const { householdId } = c;
  const id = agency.id;
  const horizon = period.end;
  const connected = c.category === 'connected_person_reg24' || c.category === 'connected_person_reg27';
  const approvedAt =
    c.approvedAt !== undefined
      ? story.at('HouseholdApproved', id, c.approvedAt, { householdId, category: c.category, approvedBeds: c.beds })
      : story.onDay('HouseholdApproved', id, c.approvedDay, { householdId, category: c.category, approvedBeds: c.beds });
  const changes: Array<{ day: Day; beds: number; category?: ApprovalCategory }> = [];
  const yearsToLeave = (category: ApprovalCategory) => Math.round(dice.exponential(365 / RESIGNATION_HAZARD[category]));
  let resigned = Math.max(c.approvedDay, period.start) + yearsToLeave(c.category);
  let forced: { reason: ResignationReason; initiatedBy: 'carer' | 'agency' } | undefined;
  const neverPlaced = !c.opening && !connected && dice.chance(P_NEVER_PLACED);
  const gapFactor = c.category === 'mainstream' && dice.chance(P_HARD_TO_MATCH) ? HARD_TO_MATCH_GAP_FACTOR : 1;
  if (neverPlaced) resigned = Math.min(resigned, c.approvedDay + dice.int(250, 700));

  const slots: PlannedPlacement[][] = [];
  if (connected) {
    // The children arrive with the approval and stay until a special guardianship order, a return
    // home or adulthood; the household leaves fostering soon after the last one goes.
    const firstDay = Math.max(c.approvedDay, period.start);
    for (let k = 0; k < c.beds; k++) {
      const end = (c.opening ? firstDay : c.approvedDay) + dice.int(c.opening ? 20 : 150, c.opening ? 1500 : 2000);
      slots.push([
        {
          slot: k,
          start: c.approvedDay,
          end,
          type: c.category === 'connected_person_reg27' && dice.chance(0.5) ? 'matched_long_term' : 'time_limited',
          startAt: approvedAt + 30 * 60_000,
        },
      ]);
    }
    const lastChildLeaves = Math.max(...slots.map((s) => s[0]!.end!));
    if (lastChildLeaves + 7 < resigned) {
      resigned = lastChildLeaves + dice.int(7, 60);
      forced = { reason: dice.weighted({ permanence_order: 0.6, personal_circumstances: 0.2, other: 0.2 }), initiatedBy: 'carer' };
    }
    if (c.category === 'connected_person_reg24') {
      let decision = c.approvedDay + dice.int(84, 112);
      if (decision <= period.start) decision = period.start + dice.int(1, 30);
      if (decision < resigned - 1) {
        if (dice.chance(P_REG24_CONFIRMED)) {
          changes.push({ day: decision, beds: c.beds, category: 'connected_person_reg27' });
        } else {
          resigned = decision + dice.int(3, 21);
          forced = { reason: 'other', initiatedBy: 'agency' };
        }
      }
    }
  }

  // Holds the carer asks for or the service imposes: no child is placed while one is in force.
  const holds: PlannedHold[] = [];
  for (const process of HOUSEHOLD_HOLDS) {
    for (let t = c.approvedDay + 60; ;) {
      t += Math.round(dice.exponential(365 / process.perYear));
      if (t >= Math.min(resigned, horizon) - 2) break;
      const reason = dice.weighted(process.reasons);
      const end = t + dice.int(...process.days);
      holds.push({ start: t, end, reason });
      if (reason === 'standards_of_care' && end < resigned && end > period.start && dice.chance(P_STANDARDS_DEREGISTERED)) {
        resigned = end;
        forced = { reason: 'standards_of_care', initiatedBy: 'agency' };
      }
      t = end;
    }
  }
  const onHold = (t: Day) => holds.find((h) => h.start <= t && t < h.end!);
  const matchingHolds: PlannedHold[] = [];
  const lastStart = resigned <= horizon ? resigned - 30 : horizon;
  const running = (p: PlannedPlacement, t: Day) => p.start <= t && (p.end === undefined || p.end > t);
  /** A placement starting or ending on day t shares the day with anything else dated t. */
  const busyOn = (p: PlannedPlacement, t: Day) => p.start <= t && (p.end === undefined || p.end >= t);
  const occupiedBelow = (k: number, t: Day) => slots.slice(0, k).some((s) => s.some((p) => running(p, t)));
  const gap = (k: number) => 1 + Math.round(dice.exponential(gapFactor * MEAN_GAP_DAYS[Math.min(k, MEAN_GAP_DAYS.length - 1)]!));

  /** Places children in bed k from `from` until the household leaves. */
  const fill = (k: number, from: Day, wait: number) => {
    const slot = (slots[k] ??= []);
    let t = from + wait;
    let next: PlacementType | undefined;
    for (;;) {
      if (next === undefined && k > 0 && occupiedBelow(k, t) && dice.chance(P_MATCHING_HOLD)) {
        const end = t + dice.int(30, 180);
        matchingHolds.push({ start: t, end, reason: 'matching', beds: 1, slot: k });
        t = end + dice.int(2, 15);
      }
      // A young person staying put is the same household carrying on, hold or not.
      for (let hold = next ? undefined : onHold(t); hold; hold = onHold(t)) t = hold.end! + dice.int(2, 15);
      if (t >= lastStart) return;
      const type = next ?? dice.weighted(PLACEMENT_TYPES[c.category === 'connected_person_reg24' ? 'connected_person_reg27' : c.category]);
      const end = t + placementDays(dice, type);
      slot.push({ slot: k, start: t, end, type });
      next = type === 'matched_long_term' && dice.chance(P_STAYING_PUT) ? 'staying_put' : undefined;
      t = end + (next ? 1 : gap(k));
    }
  };
  if (!connected && !neverPlaced) {
    for (let k = 0; k < c.beds; k++) fill(k, c.approvedDay, k === 0 ? dice.int(7, 120) : gap(k));
  }

  // Approval changes: a bed more, or one fewer once that bed is empty.
  let beds = c.beds;
  for (let t = Math.max(c.approvedDay + 180, period.start - 365); !connected && !neverPlaced;) {
    t += Math.round(dice.exponential(365 / APPROVAL_CHANGES_PER_YEAR));
    if (t >= Math.min(resigned, horizon) - 30) break;
    if (beds >= 2 && (beds >= MAX_BEDS[c.category] || dice.chance(0.5))) {
      const top = slots[beds - 1]!;
      for (let busy = top.find((p) => busyOn(p, t)); busy?.end !== undefined; busy = top.find((p) => busyOn(p, t))) {
        t = busy.end + dice.int(1, 10);
      }
      if (t >= Math.min(resigned, horizon) - 30 || top.some((p) => busyOn(p, t))) break;
      slots[beds - 1] = top.filter((p) => p.start < t);
      for (const hold of matchingHolds) if (hold.slot === beds - 1 && hold.end! >= t) hold.end = Math.max(hold.start, t - 1);
      beds -= 1;
      changes.push({ day: t, beds });
    } else if (beds < MAX_BEDS[c.category]) {
      beds += 1;
      changes.push({ day: t, beds });
      fill(beds - 1, t, gap(beds - 1));
    }
  }

  // Why the household leaves, if it does within the history.
  const placements = slots.flat();
  let resignation: { reason: ResignationReason; initiatedBy: 'carer' | 'agency' } | undefined;
  if (resigned < horizon) {
    const neverUsed = !placements.some((p) => p.start < resigned) && resigned - c.approvedDay > 180;
    resignation =
      forced ??
      (neverUsed && dice.chance(0.7)
        ? { reason: 'never_used', initiatedBy: dice.chance(0.3) ? 'agency' : 'carer' }
        : {
            reason: dice.weighted(c.category === 'mainstream' ? RESIGNATION_REASONS : { ...RESIGNATION_REASONS, permanence_order: 0 }),
            initiatedBy: 'carer',
          });
  }

  // Emit. Everything that runs past the resignation ends the day before it.
  const emitFrom = c.opening ? period.start - 365 : -Infinity;
  const endOf = (end: Day | undefined) => (resignation && (end === undefined || end >= resigned) ? resigned - 1 : end);
  for (const change of changes) {
    story.onDay('ApprovalChanged', id, change.day, {
      householdId,
      approvedBeds: change.beds,
      ...(change.category ? { category: change.category } : {}),
    });
  }
  let placementNo = 0;
  for (const p of placements.sort((a, b) => a.start - b.start)) {
    const end = endOf(p.end);
    if (end !== undefined && end < emitFrom) continue;
    const placementId = `p${++placementNo}`;
    const startAt =
      p.startAt !== undefined
        ? story.at('PlacementStarted', id, p.startAt, { householdId, placementId, placementType: p.type })
        : story.onDay('PlacementStarted', id, p.start, { householdId, placementId, placementType: p.type });
    const endAt =
      end !== undefined && end < horizon
        ? story.onDay('PlacementEnded', id, Math.max(end, p.start + 1), { householdId, placementId })
        : Infinity;
    story.placements.push({ agencyId: id, type: p.type, start: startAt, end: endAt });
  }
  let holdNo = 0;
  for (const hold of [...holds, ...matchingHolds].sort((a, b) => a.start - b.start)) {
    const end = endOf(hold.end);
    if (
      hold.start >= Math.min(resigned - 2, horizon) ||
      (end !== undefined && end <= hold.start) ||
      (end !== undefined && end < (c.opening ? period.start : -Infinity))
    )
      continue;
    const holdId = `hold${++holdNo}`;
    story.onDay('HoldStarted', id, hold.start, { householdId, holdId, reason: hold.reason, ...(hold.beds ? { beds: hold.beds } : {}) });
    if (end !== undefined && end < horizon) story.onDay('HoldEnded', id, end, { householdId, holdId });
  }

  // Resignation-risk flags: most leavers are flagged some weeks ahead; some flags come to nothing.
  const firstFlagDay = Math.max(c.approvedDay + 30, c.opening ? period.start : -Infinity);
  if (resignation && resignation.initiatedBy === 'carer' && dice.chance(P_RESIGNATION_FLAGGED)) {
    const day = resigned - dice.int(30, 150);
    if (day > firstFlagDay) {
      story.onDay('ResignationRiskFlagged', id, day, {
        householdId,
        reason: resignation.reason,
        likelihood: dice.int(10, 19) / 20,
      });
    }
  }
  for (let t = firstFlagDay; ;) {
    t += Math.round(dice.exponential(365 / FALSE_ALARMS_PER_YEAR));
    const cleared = t + dice.int(30, 120);
    // Cleared before any flag that comes true is raised (a clearance clears every flag before it).
    if (cleared >= Math.min(resigned - 160, horizon)) break;
    story.onDay('ResignationRiskFlagged', id, t, {
      householdId,
      reason: dice.weighted(RESIGNATION_REASONS),
      likelihood: dice.int(6, 14) / 20,
    });
    story.onDay('ResignationRiskCleared', id, cleared, { householdId });
  }
  if (resignation) story.onDay('HouseholdResigned', id, resigned, { householdId, ...resignation });
  story.carer = { agencyId: id, householdId, approved: c.approvedDay, resigned };
}

// ---- Children in care ---------------------------------------------------------------------------

/** At each month end: children in care drifting slowly, those fostered in house counted from the
 *  placements, and those placed with independent agencies a share of the children in care. */
function childrenInCare(ledger: Ledger, agency: Agency, period: Period): void {
  const { dice } = agency;
  const fostered = ledger.placements.filter((p) => p.agencyId === agency.id && FOSTERED_TYPES.has(p.type));
  const starts = fostered.map((p) => p.start).sort((a, b) => a - b);
  const ends = fostered.map((p) => p.end).sort((a, b) => a - b);
  const countAtOrBefore = (sorted: number[], at: number) => {
    let lo = 0,
      hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const story = new Story(dice);
  let inCare: number | undefined;
  let agencyShare = AGENCY_PLACED_SHARE_OF_CHILDREN_IN_CARE;
  const first = new Date(period.start * DAY_MS);
  for (let month = 0; ; month++) {
    const monthEnd = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + month + 1, 0) / DAY_MS;
    if (monthEnd >= period.end) break;
    const at = monthEnd * DAY_MS + 17 * 3_600_000;
    const fosteredInHouse = countAtOrBefore(starts, at) - countAtOrBefore(ends, at);
    inCare = inCare === undefined ? fosteredInHouse * CHILDREN_IN_CARE_PER_IN_HOUSE_PLACEMENT : inCare * (1 + 0.012 * dice.normal());
    agencyShare = Math.min(0.35, Math.max(0.1, agencyShare + 0.004 * dice.normal()));
    const childrenInCare = Math.max(Math.round(inCare), fosteredInHouse);
    const fosteredAgency = Math.min(childrenInCare - fosteredInHouse, Math.round(childrenInCare * agencyShare));
    story.at('ChildrenInCareRecorded', agency.id, at, { childrenInCare, fosteredInHouse, fosteredAgency });
  }
  ledger.keep(story);
}

// ---- Settings -----------------------------------------------------------------------------------

/** Set by the manager a fortnight before the history starts. */
function settings(ledger: Ledger, agency: Agency | string, period: Period): void {
  const id = typeof agency === 'string' ? agency : agency.id;
  // No dice drawn: Story only needs one for onDay.
  const story = new Story(new Dice(id));
  story.at('AgencySettingsChanged', id, (period.start - 14) * DAY_MS + 10 * 3_600_000, {
    ...SETTINGS,
    ...(SERVICE_NAMES[id]
      ? {
          serviceName: SERVICE_NAMES[id],
          // With its name and privacy notice set, the agency's enquiry form is open.
          privacyNoticeText: `${SERVICE_NAMES[id]} uses your details to answer your enquiry about fostering, and keeps them as the law requires.`,
          privacyNoticeUrl: `https://www.example.gov.uk/${id}/fostering/privacy`,
        }
      : {}),
  });
  ledger.keep(story);
}
