// Approved carers' capacity and beds on hold at a date (docs/metrics.md). Pure: plain household
// states in, the metric out. The caller may pass a superset of the households that matter; each
// household is judged exactly at the date here.
import {
  approvalCategories,
  placementTypes,
  serviceInitiatedHoldReasons,
  HoldReason as HoldReasonEnum,
  type ApprovalCategory,
  type HoldReason,
} from '../events/vocabulary';
import { daysBetween, endOfDay, type IsoDate } from './calendar';
import { median, ratio } from './arithmetic';
import { activeHoldsAt, activePlacementsAt, approvalTermsAt, isApprovedAt, type CarerRecord, type Placement } from './household';

/** One active hold and the beds it actually holds once capped by the household's vacancies. */
export interface HoldAtDate {
  holdId: string;
  reason: HoldReason;
  startedAt: string;
  beds: number;
}

/** One approved household as it stood at a date. */
export interface HouseholdCapacityAt {
  householdId: string;
  category: ApprovalCategory;
  approvedBeds: number;
  placements: Placement[];
  occupiedBeds: number;
  vacantBeds: number;
  bedsOnHold: number;
  holds: HoldAtDate[];
}

/**
 * A household's beds on hold = min(vacant beds, Σ its active holds' beds), a hold without `beds`
 * counting as all vacant beds. Those beds are then attributed to the holds oldest
 * first, each up to its own count, so a household's beds by reason always add up to its total.
 */
export function householdCapacityAt(state: CarerRecord, instant: string): HouseholdCapacityAt | undefined {
  if (!isApprovedAt(state, instant)) return undefined;
  const terms = approvalTermsAt(state, instant);
  if (!terms) return undefined;
  const placements = activePlacementsAt(state, instant);
  const vacantBeds = Math.max(0, terms.approvedBeds - placements.length);
  const active = activeHoldsAt(state, instant);
  const requested = active.reduce((sum, hold) => sum + (hold.beds ?? vacantBeds), 0);
  const bedsOnHold = Math.min(vacantBeds, requested);
  let unattributed = bedsOnHold;
  const holds = active.map((hold) => {
    const beds = Math.min(hold.beds ?? vacantBeds, unattributed);
    unattributed -= beds;
    return { holdId: hold.holdId, reason: hold.reason!, startedAt: hold.startedAt!, beds };
  });
  return {
    householdId: state.householdId,
    category: terms.category,
    approvedBeds: terms.approvedBeds,
    placements,
    occupiedBeds: placements.length,
    vacantBeds,
    bedsOnHold,
    holds,
  };
}

export function householdsAt(households: readonly CarerRecord[], at: IsoDate): HouseholdCapacityAt[] {
  const instant = endOfDay(at);
  return households.map((h) => householdCapacityAt(h, instant)).filter((h): h is HouseholdCapacityAt => h !== undefined);
}

// ---- §5.2 Capacity -------------------------------------------------------------------------------

export interface CategoryCapacity {
  households: number;
  approvedBeds: number;
  occupiedBeds: number;
}

export interface Capacity {
  at: IsoDate;
  households: number;
  byCategory: Record<ApprovalCategory, CategoryCapacity>;
  approvedBeds: number;
  occupiedBeds: number;
  vacantBeds: number;
  bedsOnHold: number;
  availableBeds: number;
  placementsPerHousehold: number | null;
  occupancyRate: number | null;
  /** Active placements by type; `unspecified` counts placements recorded without one. */
  placementsByType: Record<string, number>;
}

export function capacity(at: IsoDate, households: readonly CarerRecord[]): Capacity {
  const approved = householdsAt(households, at);
  const byCategory = Object.fromEntries(approvalCategories.map((c) => [c, { households: 0, approvedBeds: 0, occupiedBeds: 0 }])) as Record<
    ApprovalCategory,
    CategoryCapacity
  >;
  const placementsByType: Record<string, number> = Object.fromEntries(placementTypes.map((t) => [t, 0]));
  let approvedBeds = 0,
    occupiedBeds = 0,
    vacantBeds = 0,
    bedsOnHold = 0;
  for (const household of approved) {
    const category = byCategory[household.category];
    category.households += 1;
    category.approvedBeds += household.approvedBeds;
    category.occupiedBeds += household.occupiedBeds;
    approvedBeds += household.approvedBeds;
    occupiedBeds += household.occupiedBeds;
    vacantBeds += household.vacantBeds;
    bedsOnHold += household.bedsOnHold;
    for (const placement of household.placements) {
      const type = placement.placementType ?? 'unspecified';
      placementsByType[type] = (placementsByType[type] ?? 0) + 1;
    }
  }
  return {
    at,
    households: approved.length,
    byCategory,
    approvedBeds,
    occupiedBeds,
    vacantBeds,
    bedsOnHold,
    availableBeds: vacantBeds - bedsOnHold,
    placementsPerHousehold: ratio(occupiedBeds, approved.length, 2),
    occupancyRate: ratio(occupiedBeds, approvedBeds, 4),
    placementsByType,
  };
}

// ---- §5.3 Beds on hold ---------------------------------------------------------------------------

export interface HouseholdsAndBeds {
  households: number;
  beds: number;
}

export interface BedsOnHold {
  at: IsoDate;
  households: number;
  beds: number;
  /** Households on hold with no child placed. */
  primary: HouseholdsAndBeds;
  /** Households on hold with at least one child placed: the second or third bed is held. */
  secondary: HouseholdsAndBeds;
  byReason: Array<{ reason: HoldReason; initiatedBy: 'carer' | 'service'; households: number; beds: number }>;
  serviceInitiated: number;
  concerns: number;
  medianDaysOnHold: number | null;
}

const isServiceInitiated = (reason: HoldReason) => (serviceInitiatedHoldReasons as readonly string[]).includes(reason);
const concernReasons: ReadonlySet<HoldReason> = new Set(['standards_of_care', 'allegation']);

export function bedsOnHold(at: IsoDate, households: readonly CarerRecord[]): BedsOnHold {
  const approved = householdsAt(households, at);
  const onHold = approved.filter((h) => h.bedsOnHold > 0);
  const sum = (list: HouseholdCapacityAt[]): HouseholdsAndBeds => ({
    households: list.length,
    beds: list.reduce((s, h) => s + h.bedsOnHold, 0),
  });

  const byReason = new Map<HoldReason, HouseholdsAndBeds>();
  for (const household of onHold) {
    const bedsByReason = new Map<HoldReason, number>();
    for (const hold of household.holds) bedsByReason.set(hold.reason, (bedsByReason.get(hold.reason) ?? 0) + hold.beds);
    for (const [reason, beds] of bedsByReason) {
      const entry = byReason.get(reason) ?? { households: 0, beds: 0 };
      entry.households += 1;
      entry.beds += beds;
      byReason.set(reason, entry);
    }
  }

  return {
    at,
    ...sum(onHold),
    primary: sum(onHold.filter((h) => h.occupiedBeds === 0)),
    secondary: sum(onHold.filter((h) => h.occupiedBeds > 0)),
    byReason: HoldReasonEnum.options
      .filter((reason) => byReason.has(reason))
      .map((reason) => ({
        reason,
        initiatedBy: isServiceInitiated(reason) ? ('service' as const) : ('carer' as const),
        ...byReason.get(reason)!,
      })),
    serviceInitiated: onHold.filter((h) => h.holds.some((hold) => isServiceInitiated(hold.reason))).length,
    // A concern about standards of care is a concern whether or not the household has a bed free
    // to hold, so this counts every approved household with such a hold active.
    concerns: approved.filter((h) => h.holds.some((hold) => concernReasons.has(hold.reason))).length,
    medianDaysOnHold: median(onHold.flatMap((h) => h.holds.map((hold) => daysBetween(hold.startedAt, at)))),
  };
}
