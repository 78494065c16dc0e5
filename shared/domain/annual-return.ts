// The annual return (docs/metrics.md): the figures a fostering service returns to the inspectorate
// (Ofsted's fostering data collection) for FY y. Pure: household states in, the return out; callers
// may pass more households than the year needs. Why it counts recorded dates: docs/decisions.md.
import {
  approvalCategories,
  HoldReason as HoldReasonEnum,
  postApplicationClosureReasons,
  resignationReasons,
  type ApprovalCategory,
  type HoldReason,
  type ResignationReason,
} from '../events/vocabulary';
import { financialYearBounds, isWithin, type IsoDate } from './calendar';
import { bedsOnHold, capacity, type HouseholdsAndBeds } from './capacity';
import { currentClosure, isPostApplicationClosure, type HouseholdState } from './household';

export type PostApplicationClosureReason = (typeof postApplicationClosureReasons)[number];

export interface AnnualReturn {
  financialYear: number;
  /** 1 April y. */
  from: IsoDate;
  /** 31 March y+1. */
  to: IsoDate;
  /** Households whose enquiry is dated in the year. */
  enquiries: number;
  /** Households whose initial visit is dated in the year. */
  initialVisits: number;
  /** Applications: households whose assessment started in the year. */
  applications: number;
  /** Households approved in the year. */
  approvals: number;
  /** The beds (places) those approvals were for, at approval. */
  approvedBeds: number;
  /** Applications that ended in the year without approval: Ofsted's withdrawal codes and refusals. */
  withdrawals: { total: number; byCode: Record<PostApplicationClosureReason, number> };
  /** Approved households that resigned (were deregistered) in the year. */
  deregistrations: {
    total: number;
    byReason: Record<ResignationReason, number>;
    byInitiator: { carer: number; agency: number };
  };
  /** The position at the end of 31 March y+1: capacity and beds on hold then. */
  atYearEnd: {
    households: number;
    byCategory: Record<ApprovalCategory, { households: number; approvedPlaces: number; filled: number }>;
    /** Beds of the approval terms in force. */
    approvedPlaces: number;
    /** Children placed. */
    filled: number;
    /** Σ per household max(0, approved − placed); includes the places not available. */
    vacant: number;
    /** Vacant places on hold, by the hold's reason. */
    notAvailable: HouseholdsAndBeds & { byReason: Record<HoldReason, HouseholdsAndBeds> };
    /** vacant − notAvailable.beds: places a child could have been placed in. */
    available: number;
  };
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function annualReturn(financialYear: number, households: readonly HouseholdState[]): AnnualReturn {
  const { start: from, end: to } = financialYearBounds(financialYear);
  const inYear = (at: string | undefined) => isWithin(at, from, to);
  const count = (at: (h: HouseholdState) => string | undefined) => households.filter((h) => inYear(at(h))).length;

  const approved = households.filter((h) => inYear(h.approvedAt));

  const byCode = zeros(postApplicationClosureReasons);
  for (const h of households) {
    if (h.approvedAt !== undefined) continue;
    const closure = currentClosure(h);
    if (closure && inYear(closure.at) && isPostApplicationClosure(closure.reason)) {
      byCode[closure.reason as PostApplicationClosureReason] += 1;
    }
  }

  const byReason = zeros(resignationReasons);
  const byInitiator = { carer: 0, agency: 0 };
  const resigned = households.filter((h) => inYear(h.resignation?.at));
  for (const { resignation } of resigned) {
    byReason[resignation!.reason] += 1;
    byInitiator[resignation!.initiatedBy] += 1;
  }

  return {
    financialYear,
    from,
    to,
    enquiries: count((h) => h.enquiry?.at),
    initialVisits: count((h) => h.initialVisitAt),
    applications: count((h) => h.assessmentAt),
    approvals: approved.length,
    approvedBeds: approved.reduce((sum, h) => sum + (h.approval?.approvedBeds ?? 0), 0),
    withdrawals: { total: Object.values<number>(byCode).reduce((a, b) => a + b, 0), byCode },
    deregistrations: { total: resigned.length, byReason, byInitiator },
    atYearEnd: atYearEnd(to, households),
  };
}

function atYearEnd(at: IsoDate, households: readonly HouseholdState[]): AnnualReturn['atYearEnd'] {
  const places = capacity(at, households);
  const onHold = bedsOnHold(at, households);
  const byCategory = Object.fromEntries(
    approvalCategories.map((category) => {
      const c = places.byCategory[category];
      return [category, { households: c.households, approvedPlaces: c.approvedBeds, filled: c.occupiedBeds }];
    }),
  ) as AnnualReturn['atYearEnd']['byCategory'];
  const byReason = Object.fromEntries(
    HoldReasonEnum.options.map((reason) => {
      const entry = onHold.byReason.find((r) => r.reason === reason);
      return [reason, { households: entry?.households ?? 0, beds: entry?.beds ?? 0 }];
    }),
  ) as Record<HoldReason, HouseholdsAndBeds>;
  return {
    households: places.households,
    byCategory,
    approvedPlaces: places.approvedBeds,
    filled: places.occupiedBeds,
    vacant: places.vacantBeds,
    notAvailable: { households: onHold.households, beds: onHold.beds, byReason },
    available: places.availableBeds,
  };
}
