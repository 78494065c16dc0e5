// The handover (docs/rules.md, hub): the region's hub gives a household to one of its member councils.
// It is recorded as the same fact as a referral on (EnquiryReferredOn); what differs is who may send it
// and to whom, checked here before the tenancy rule every referral meets.
import type { FieldError } from '../events/catalogue';
import { councilOfDistrict, councilsOfRegion, regionHubbedBy, regions, type Regions } from '../wiring/regions';

export type HandoverVerdict = { allowed: true } | { allowed: false; status: 400 | 403; message: string; fields?: FieldError[] };

export function checkHandover(fromAgencyId: string, toAgencyId: string, config: Regions = regions): HandoverVerdict {
  const regionId = regionHubbedBy(fromAgencyId, config);
  if (regionId === undefined)
    return {
      allowed: false,
      status: 403,
      message: `${fromAgencyId} is no region's hub: only a hub hands households over (another agency refers them on)`,
    };
  const councils = councilsOfRegion(regionId, config) ?? [];
  if (!councils.includes(toAgencyId))
    return {
      allowed: false,
      status: 400,
      message: 'the request is invalid',
      fields: [{ field: 'toAgencyId', message: `not a member council of ${regionId}: one of ${councils.join(', ')}` }],
    };
  return { allowed: true };
}

/**
 * The member council a hub's household is suggested for: the one whose area its postcode district is
 * in, as the region file maps it. Null for another agency's household, or a district the map does not
 * have; the officer who hands the household over chooses.
 */
export function suggestedCouncil(agencyId: string, postcodeDistrict: string | undefined, config: Regions = regions): string | null {
  const regionId = regionHubbedBy(agencyId, config);
  if (regionId === undefined || postcodeDistrict === undefined) return null;
  return councilOfDistrict(regionId, postcodeDistrict, config) ?? null;
}
