// Sufficiency at a date (docs/metrics.md): the latest children-in-care snapshot against in-house capacity,
// and how many more in-house beds the target share would need. Pure.
import { roundHalfUp, ratio } from './arithmetic';
import { endOfDay, monthlyPointsEndingOn, type IsoDate } from './calendar';
import { capacity } from './capacity';
import type { CarerRecord } from './household';

export interface ChildrenInCareSnapshot {
  /** Whose children: a region's counts are the sum of its agencies' latest ones. */
  agencyId?: string;
  /** When the count was taken (UTC instant). */
  occurredAt: string;
  childrenInCare: number;
  fosteredInHouse: number;
  fosteredAgency: number;
}

export const DEFAULT_TARGET_IN_HOUSE_SHARE = 0.6;
export const TREND_MONTHS = 12;

/** The latest count taken on or before the end of D; over several agencies, the sum of each
 *  one's latest (dated by the most recent of them). */
export function snapshotAt(snapshots: readonly ChildrenInCareSnapshot[], at: IsoDate): ChildrenInCareSnapshot | undefined {
  const instant = endOfDay(at);
  const latestByAgency = new Map<string | undefined, ChildrenInCareSnapshot & { instant: string }>();
  for (const s of snapshots) {
    const taken = new Date(s.occurredAt).toISOString();
    const latest = latestByAgency.get(s.agencyId);
    if (taken <= instant && (!latest || taken > latest.instant)) latestByAgency.set(s.agencyId, { ...s, instant: taken });
  }
  const latest = [...latestByAgency.values()];
  if (latest.length === 0) return undefined;
  return {
    occurredAt: latest.map((s) => s.instant).reduce((a, b) => (a > b ? a : b)),
    childrenInCare: latest.reduce((sum, s) => sum + s.childrenInCare, 0),
    fosteredInHouse: latest.reduce((sum, s) => sum + s.fosteredInHouse, 0),
    fosteredAgency: latest.reduce((sum, s) => sum + s.fosteredAgency, 0),
  };
}

const fostered = (s: ChildrenInCareSnapshot) => s.fosteredInHouse + s.fosteredAgency;
const inHouseShareOf = (s: ChildrenInCareSnapshot | undefined) => (s ? ratio(s.fosteredInHouse, fostered(s), 4) : null);

export interface SufficiencyInput<Pipeline> {
  at: IsoDate;
  targetInHouseShare: number;
  households: readonly CarerRecord[];
  snapshots: readonly ChildrenInCareSnapshot[];
  pipeline: Pipeline;
}

export function sufficiency<Pipeline>({ at, targetInHouseShare, households, snapshots, pipeline }: SufficiencyInput<Pipeline>) {
  const snapshot = snapshotAt(snapshots, at);
  const { availableBeds } = capacity(at, households);
  const fosteredChildren = snapshot ? fostered(snapshot) : null;
  // roundHalfUp first so that 0.6 × 395 = 237.00000000000003 does not ceil to 238.
  const childrenBelowTarget =
    snapshot && fosteredChildren !== null
      ? Math.max(0, Math.ceil(roundHalfUp(targetInHouseShare * fosteredChildren, 9)) - snapshot.fosteredInHouse)
      : null;
  // The free beds take what they can of those children: the rest are beds to recruit.
  const bedsNeededForTarget = childrenBelowTarget === null ? null : Math.max(0, childrenBelowTarget - availableBeds);
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
    /** More children than today to foster in house to reach the target share (free beds not yet counted). */
    childrenBelowTarget,
    bedsNeededForTarget,
    pipeline,
    trend: monthlyPointsEndingOn(at, TREND_MONTHS).map((point) => {
      const { households: count, approvedBeds } = capacity(point, households);
      return { at: point, households: count, approvedBeds, inHouseShare: inHouseShareOf(snapshotAt(snapshots, point)) };
    }),
  };
}

export type Sufficiency<Pipeline = unknown> = ReturnType<typeof sufficiency<Pipeline>>;
