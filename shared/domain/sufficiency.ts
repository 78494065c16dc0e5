// Sufficiency at a date (SPEC §5.5): the latest children-in-care snapshot against in-house capacity,
// and how many more in-house beds the target share would need. Pure.
import { roundHalfUp, ratio } from './arithmetic';
import { endOfDay, monthlyPointsEndingOn, type IsoDate } from './calendar';
import { capacity } from './capacity';
import type { HouseholdState } from './household';

export interface ChildrenInCareSnapshot {
  /** When the count was taken (UTC instant). */
  occurredAt: string;
  childrenInCare: number;
  fosteredInHouse: number;
  fosteredAgency: number;
}

export const DEFAULT_TARGET_IN_HOUSE_SHARE = 0.6;
export const TREND_MONTHS = 12;

/** The latest snapshot taken on or before the end of D. */
export function snapshotAt(snapshots: readonly ChildrenInCareSnapshot[], at: IsoDate): ChildrenInCareSnapshot | undefined {
  const instant = endOfDay(at);
  let latest: ChildrenInCareSnapshot | undefined;
  for (const s of snapshots) if (new Date(s.occurredAt).toISOString() <= instant && (!latest || s.occurredAt > latest.occurredAt)) latest = s;
  return latest;
}

const fostered = (s: ChildrenInCareSnapshot) => s.fosteredInHouse + s.fosteredAgency;
const inHouseShareOf = (s: ChildrenInCareSnapshot | undefined) => (s ? ratio(s.fosteredInHouse, fostered(s), 4) : null);

export interface SufficiencyInput<Pipeline> {
  at: IsoDate;
  targetInHouseShare: number;
  households: readonly HouseholdState[];
  snapshots: readonly ChildrenInCareSnapshot[];
  pipeline: Pipeline;
}

export function sufficiency<Pipeline>({ at, targetInHouseShare, households, snapshots, pipeline }: SufficiencyInput<Pipeline>) {
  const snapshot = snapshotAt(snapshots, at);
  const { availableBeds } = capacity(at, households);
  const fosteredChildren = snapshot ? fostered(snapshot) : null;
  // roundHalfUp first so that 0.6 × 395 = 237.00000000000003 does not ceil to 238.
  const bedsNeededForTarget = snapshot && fosteredChildren !== null
    ? Math.max(0, Math.ceil(roundHalfUp(targetInHouseShare * fosteredChildren, 9)) - snapshot.fosteredInHouse - availableBeds)
    : null;
  return {
    at,
    targetInHouseShare,
    /** The children-in-care count the figures rest on; null when none was recorded by D. */
    childrenInCareRecordedAt: snapshot ? new Date(snapshot.occurredAt).toISOString() : null,
    childrenInCare: snapshot?.childrenInCare ?? null,
    fosteredChildren,
    fosteredInHouse: snapshot?.fosteredInHouse ?? null,
    fosteredAgency: snapshot?.fosteredAgency ?? null,
    inHouseShare: inHouseShareOf(snapshot),
    availableBeds,
    bedsNeededForTarget,
    pipeline,
    trend: monthlyPointsEndingOn(at, TREND_MONTHS).map((point) => {
      const { households: count, approvedBeds } = capacity(point, households);
      return { at: point, households: count, approvedBeds, inHouseShare: inHouseShareOf(snapshotAt(snapshots, point)) };
    }),
  };
}

export type Sufficiency<Pipeline = unknown> = ReturnType<typeof sufficiency<Pipeline>>;
