// The settings in force for an agency, from its audit trail of changes; for a region, each agency's.
import { defaultAgencySettings, settingsInForce } from '../domain/agency-settings';
import { agencySettingsChanges } from '../store/agency-ledger';
import type { ReadTally } from '../store/query-pages';
import { agenciesIn } from '../domain/scope';
import { scopeOf, type ScopeOrAgency } from './scope';

export async function agencySettingsFor(agencyId: string, tally?: ReadTally) {
  const changes = await agencySettingsChanges(agencyId, tally);
  return { ...settingsInForce(changes), changes };
}

/** What the forecast and sufficiency take from settings, for the scope read. */
export interface ScopeSettings {
  attritionRate: number;
  attritionRateByAgency?: Record<string, number>;
  targetInHouseShare: number;
  applicationToApprovalDays: number;
  applicationToApprovalDaysByAgency?: Record<string, number>;
}

/**
 * One agency: its own settings. A region: each agency's attrition rate (its households resign at
 * their own agency's rate), and the default target share, since a region sets none of its own
 * (`?targetInHouseShare` overrides it).
 */
export async function settingsForScope(scope: ScopeOrAgency, tally?: ReadTally): Promise<ScopeSettings> {
  const resolved = scopeOf(scope);
  if (resolved.kind === 'agency') {
    const { attritionRate, targetInHouseShare, applicationToApprovalDays } = await agencySettingsFor(resolved.agencyId, tally);
    return { attritionRate, targetInHouseShare, applicationToApprovalDays };
  }
  const byAgency = await Promise.all(
    agenciesIn(resolved).map(async (agencyId) => [agencyId, await agencySettingsFor(agencyId, tally)] as const),
  );
  return {
    ...defaultAgencySettings,
    attritionRateByAgency: Object.fromEntries(byAgency.map(([agencyId, s]) => [agencyId, s.attritionRate])),
    applicationToApprovalDaysByAgency: Object.fromEntries(byAgency.map(([agencyId, s]) => [agencyId, s.applicationToApprovalDays])),
  };
}
