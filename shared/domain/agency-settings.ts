// An agency's forecast settings: what a manager may change, with the SPEC's defaults.
import { DEFAULT_ATTRITION_RATE } from './resignation-forecast';
import { DEFAULT_TARGET_IN_HOUSE_SHARE } from './sufficiency';
import { toUtcInstant } from './household';

export interface AgencySettings {
  attritionRate: number;
  targetInHouseShare: number;
}

export interface AgencySettingsChange extends AgencySettings {
  eventId: string;
  occurredAt: string;
  changedBy?: string;
}

export const defaultAgencySettings: AgencySettings = {
  attritionRate: DEFAULT_ATTRITION_RATE,
  targetInHouseShare: DEFAULT_TARGET_IN_HOUSE_SHARE,
};

/** The settings in force: the latest change by event time (ties by eventId), else the defaults. */
export function settingsInForce(changes: readonly AgencySettingsChange[]): AgencySettings & { changedAt: string | null } {
  const latest = [...changes]
    .sort((a, b) => toUtcInstant(a.occurredAt).localeCompare(toUtcInstant(b.occurredAt)) || a.eventId.localeCompare(b.eventId))
    .at(-1);
  return latest
    ? { attritionRate: latest.attritionRate, targetInHouseShare: latest.targetInHouseShare, changedAt: toUtcInstant(latest.occurredAt) }
    : { ...defaultAgencySettings, changedAt: null };
}
