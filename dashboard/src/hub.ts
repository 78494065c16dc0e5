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
