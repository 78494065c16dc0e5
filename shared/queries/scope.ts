// Reading for a scope: one agency, or every agency of a region. A region's figures are
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
 * What a scope reads: each agency's records, and for a region without what the referring agency's
 * copy of a household referred on within the region holds. Such a household is one household to the
 * region: its story continues at the receiving agency (which keeps its campaign, enquiry date and
 * stages), so the copy is left out while the referral is in force (a household referred back counts
 * where it is open again). `referredTo` says where a record's household is referred on to now.
 */
async function withoutCopiesReferredWithin<T>(
  scope: ScopeOrAgency,
  read: (agencyId: string) => Promise<T[]>,
  referredTo: (record: T) => string | undefined,
): Promise<T[]> {
  const resolved = scopeOf(scope);
  const records = await perAgency(resolved, read);
  if (resolved.kind === 'agency') return records;
  const region = new Set(resolved.agencyIds);
  return records.filter((record) => {
    const to = referredTo(record);
    return to === undefined || !region.has(to);
  });
}

/** The households of a scope (see `withoutCopiesReferredWithin`). */
export function householdsIn<S extends Pick<HouseholdState, 'closures' | 'referredOut'>>(
  scope: ScopeOrAgency,
  read: (agencyId: string) => Promise<S[]>,
): Promise<S[]> {
  return withoutCopiesReferredWithin(scope, read, (h) => referredOnNow(h)?.toAgencyId);
}

/** The conversion counts of a scope: each count carries where its household was referred on to. */
export function conversionCountsIn<C extends { referredTo: string | null }>(
  scope: ScopeOrAgency,
  read: (agencyId: string) => Promise<C[]>,
): Promise<C[]> {
  return withoutCopiesReferredWithin(scope, read, (c) => c.referredTo ?? undefined);
}
