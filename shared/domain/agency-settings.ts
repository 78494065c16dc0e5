// An agency's settings: the forecast settings and the timescale targets, what a manager may
// change, with their defaults (docs/metrics.md, agency settings).
import { DEFAULT_ATTRITION_RATE } from './resignation-forecast';
import { DEFAULT_TARGET_IN_HOUSE_SHARE } from './sufficiency';
import { toUtcInstant } from './household';
import { retentionPeriods, type RetentionPeriodName } from '../events/catalogue';

/** How soon the recruitment team should respond, visit and decide (docs/rules.md, the working day). */
export interface TimescaleTargets {
  firstResponseWorkingDays: number;
  initialVisitWorkingDays: number;
  /** Eight months from application, as councils commonly work to. */
  applicationToApprovalDays: number;
}

/** How long contact details are kept after a closure or resignation, in days (docs/security.md, retention). */
export type RetentionPeriods = Record<RetentionPeriodName, number>;

export const defaultRetentionPeriods = Object.fromEntries(
  Object.entries(retentionPeriods).map(([name, period]) => [name, period.byDefault]),
) as RetentionPeriods;

export interface AgencySettings extends TimescaleTargets, RetentionPeriods {
  attritionRate: number;
  targetInHouseShare: number;
  /** The service's name for its papers and pages; null until a manager sets it. */
  serviceName: string | null;
  /** The privacy notice the enquiry form shows: its words and a link to the whole; null until set. */
  privacyNoticeText: string | null;
  privacyNoticeUrl: string | null;
}

export interface AgencySettingsChange extends Partial<TimescaleTargets>, Partial<RetentionPeriods> {
  attritionRate: number;
  targetInHouseShare: number;
  serviceName?: string;
  privacyNoticeText?: string;
  privacyNoticeUrl?: string;
  eventId: string;
  occurredAt: string;
  changedBy?: string;
}

export const defaultTimescaleTargets: TimescaleTargets = {
  firstResponseWorkingDays: 1,
  initialVisitWorkingDays: 10,
  applicationToApprovalDays: 240,
};

export const defaultAgencySettings: AgencySettings = {
  attritionRate: DEFAULT_ATTRITION_RATE,
  targetInHouseShare: DEFAULT_TARGET_IN_HOUSE_SHARE,
  serviceName: null,
  privacyNoticeText: null,
  privacyNoticeUrl: null,
  ...defaultTimescaleTargets,
  ...defaultRetentionPeriods,
};

/** The settings a change may leave out, keeping the one in force. */
const keptWhenAbsent = [...Object.keys(defaultTimescaleTargets), ...Object.keys(defaultRetentionPeriods)] as Array<
  keyof TimescaleTargets | RetentionPeriodName
>;

/** The settings in force: each from the latest change that set it (by event time, ties by eventId),
 *  else its default. A change made before the targets existed leaves them at their defaults. */
export function settingsInForce(changes: readonly AgencySettingsChange[]): AgencySettings & { changedAt: string | null } {
  const ordered = [...changes].sort(
    (a, b) => toUtcInstant(a.occurredAt).localeCompare(toUtcInstant(b.occurredAt)) || a.eventId.localeCompare(b.eventId),
  );
  const settings: AgencySettings = { ...defaultAgencySettings };
  for (const change of ordered) {
    settings.attritionRate = change.attritionRate;
    settings.targetInHouseShare = change.targetInHouseShare;
    for (const name of keptWhenAbsent) if (change[name] !== undefined) settings[name] = change[name];
    if (change.serviceName !== undefined) settings.serviceName = change.serviceName;
    if (change.privacyNoticeText !== undefined) settings.privacyNoticeText = change.privacyNoticeText;
    if (change.privacyNoticeUrl !== undefined) settings.privacyNoticeUrl = change.privacyNoticeUrl;
  }
  const latest = ordered.at(-1);
  return { ...settings, changedAt: latest ? toUtcInstant(latest.occurredAt) : null };
}
