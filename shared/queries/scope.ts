// Reading for a scope: one agency, or every agency of a region (SPEC §6). A region's figures are
// the same pure maths over the union of its agencies' records, so counts are sums and every rate,
// median and percentile is computed from the pooled records, never averaged across agencies.
import { Identifier } from '../events/catalogue';
import { referredOnNow, type HouseholdState } from '../domain/household';
import { agenciesIn, type Scope } from '../domain/scope';

/** The query parameter a regional token may send; it must name the token's own region. */
export const regionParameter = { region: Identifier.optional().describe('a regional token: the region to aggregate (its own)') };

/** An agency id is the scope of that agency alone. */
export type ScopeOrAgency = Scope | string;

export function scopeOf(scope: ScopeOrAgency): Scope {
  return typeof scope === 'string' ? { kind: 'agency', agencyId: scope } : scope;
}

/** Runs a per-agency read for each agency of the scope, in parallel. */
export async function perAgency<T>(scope: ScopeOrAgency, read: (agencyId: string) => Promise<T[]>): Promise<T[]> {
  return (await Promise.all(agenciesIn(scopeOf(scope)).map(read))).flat();
}

/**
 * The households of a scope. A household referred on between two agencies of the region is one
 * household to the region: its story continues at the receiving agency (which keeps its campaign,
 * enquiry date and stages), so the referring agency's closed copy is left out of the region's figures
 * (while the referral is in force: a household referred back counts where it is open again).
 */
export async function householdsIn<S extends Pick<HouseholdState, 'closures' | 'referredOut'>>(
  scope: ScopeOrAgency,
  read: (agencyId: string) => Promise<S[]>,
): Promise<S[]> {
  const resolved = scopeOf(scope);
  const households = await perAgency(resolved, read);
  if (resolved.kind === 'agency') return households;
  const region = new Set(resolved.agencyIds);
  return households.filter((h) => {
    const referral = referredOnNow(h); // referred back since: the story continues here again
    return !(referral && region.has(referral.toAgencyId));
  });
}

/** The conversion counts of a scope: a region leaves out what its agencies' copies of a household
 *  referred on within it add (as `householdsIn` leaves the copies out). */
export async function conversionCountsIn<C extends { referredTo: string | null }>(
  scope: ScopeOrAgency,
  read: (agencyId: string) => Promise<C[]>,
): Promise<C[]> {
  const resolved = scopeOf(scope);
  const counts = await perAgency(resolved, read);
  if (resolved.kind === 'agency') return counts;
  const region = new Set(resolved.agencyIds);
  return counts.filter((c) => c.referredTo === null || !region.has(c.referredTo));
}
