// A region's hub (shared/wiring/regions.json, hubAgencyId): the member councils it hands households to.
import regionsFile from '../../shared/wiring/regions.json';

type RegionEntry = { agencyIds: string[]; hubAgencyId?: string };

/** The member councils of the region the agency is the hub of; none when it is no hub. */
export function councilsOfHub(agencyId: string | undefined): string[] {
  const region = Object.values(regionsFile.regions as Record<string, RegionEntry>).find(
    (r) => agencyId !== undefined && r.hubAgencyId === agencyId,
  );
  return (region?.agencyIds ?? []).filter((id) => id !== agencyId);
}

/** The hub whose figures the session reads: its own agency if that is a hub, or its region's hub. */
export function hubReadBy(session: { agencyId?: string; regionId?: string; groups: readonly string[] }): string | undefined {
  const regions = regionsFile.regions as Record<string, RegionEntry>;
  if (session.groups.includes('regional') && session.regionId !== undefined) return regions[session.regionId]?.hubAgencyId;
  if (session.groups.includes('manager') && councilsOfHub(session.agencyId).length > 0) return session.agencyId;
  return undefined;
}
