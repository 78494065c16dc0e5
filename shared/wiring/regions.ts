// The regions (docs/rules.md, tenancy), from the checked-in shared/wiring/regions.json (bundled into every function at
// build time, read by the local runtime as it starts): validated once, here.
import * as z from 'zod';
import { Identifier, PostcodeDistrict } from '../events/catalogue';
import regionsFile from './regions.json';
import { LOCAL_EXTRA_REGIONS_ENV } from './environment';

const RegionsSchema = z
  .record(
    Identifier,
    z.strictObject({
      name: z.string().min(1),
      agencyIds: z.array(Identifier).min(1),
      /** The region's front door (docs/rules.md, hub): one of its agencies, whose recruitment team hands
       *  households over to the others, its member councils. */
      hubAgencyId: Identifier.optional(),
      /** For a region with a hub: each member council's postcode districts, from which the hub's record
       *  of a household suggests the council to hand it to (docs/decisions.md, the postcode map). */
      postcodeDistricts: z.record(Identifier, z.array(PostcodeDistrict)).optional(),
    }),
  )
  .superRefine((regions, context) => {
    const seen = new Map<string, string>();
    for (const [regionId, region] of Object.entries(regions)) {
      if (region.hubAgencyId !== undefined && !region.agencyIds.includes(region.hubAgencyId))
        context.addIssue({
          code: 'custom',
          path: [regionId, 'hubAgencyId'],
          message: `${region.hubAgencyId} is not one of the region's agencies`,
        });
      checkPostcodeDistricts(regionId, region, context);
      for (const agencyId of region.agencyIds) {
        const other = seen.get(agencyId);
        if (other) context.addIssue({ code: 'custom', path: [regionId, 'agencyIds'], message: `${agencyId} is already in ${other}` });
        seen.set(agencyId, regionId);
      }
    }
  });

export type Regions = z.infer<typeof RegionsSchema>;
type Region = Regions[string];

/** Each district names one member council of its region's hub, or the suggestion would not be one. */
function checkPostcodeDistricts(regionId: string, region: Region, context: z.RefinementCtx): void {
  if (region.postcodeDistricts === undefined) return;
  if (region.hubAgencyId === undefined) {
    context.addIssue({
      code: 'custom',
      path: [regionId, 'postcodeDistricts'],
      message: 'only a region with a hub (hubAgencyId) maps districts to councils',
    });
    return;
  }
  const councilOf = new Map<string, string>();
  for (const [councilId, districts] of Object.entries(region.postcodeDistricts)) {
    if (councilId === region.hubAgencyId || !region.agencyIds.includes(councilId))
      context.addIssue({
        code: 'custom',
        path: [regionId, 'postcodeDistricts', councilId],
        message: `${councilId} is not a member council of the region`,
      });
    districts.forEach((district, i) => {
      const other = councilOf.get(district);
      if (other !== undefined)
        context.addIssue({
          code: 'custom',
          path: [regionId, 'postcodeDistricts', councilId, i],
          message: `${district} is already ${other}'s: a district suggests one council (leave a shared one out)`,
        });
      else councilOf.set(district, councilId);
    });
  }
}

export function parseRegions(config: unknown): Regions {
  return RegionsSchema.parse(config);
}

/**
 * Regions added for a local run only, as JSON in LOCAL_EXTRA_REGIONS (the benchmark's ten-agency
 * hub): merged with the file's, never replacing one of them, and no agency in two. The stack sets no
 * such variable, so a deployment's regions are the file's.
 */

function withLocalRegions(fileRegions: Record<string, unknown>): unknown {
  const extra = process.env[LOCAL_EXTRA_REGIONS_ENV];
  if (!extra) return fileRegions;
  const added = parseRegions(JSON.parse(extra));
  const clash = Object.keys(added).find((regionId) => Object.hasOwn(fileRegions, regionId));
  if (clash) throw new Error(`${LOCAL_EXTRA_REGIONS_ENV} may not redefine region ${clash} of shared/wiring/regions.json`);
  return { ...fileRegions, ...added };
}

export const regions: Regions = parseRegions(withLocalRegions(regionsFile.regions));

/** The region an agency belongs to, or undefined for an agency in none. */
export function regionOfAgency(agencyId: string, config: Regions = regions): string | undefined {
  return Object.entries(config).find(([, region]) => region.agencyIds.includes(agencyId))?.[0];
}

/** The agencies of a region, or undefined for a region not configured. */
export function agenciesOfRegion(regionId: string, config: Regions = regions): readonly string[] | undefined {
  return Object.hasOwn(config, regionId) ? config[regionId]!.agencyIds : undefined;
}

/** The region's hub agency, if it names one. */
export function hubOfRegion(regionId: string, config: Regions = regions): string | undefined {
  return Object.hasOwn(config, regionId) ? config[regionId]!.hubAgencyId : undefined;
}

/** The region an agency is the hub of, or undefined when it is no hub. */
export function regionHubbedBy(agencyId: string, config: Regions = regions): string | undefined {
  return Object.entries(config).find(([, region]) => region.hubAgencyId === agencyId)?.[0];
}

/** The member council whose area the postcode district is in, as the region file maps it; undefined when unmapped. */
export function councilOfDistrict(regionId: string, district: string, config: Regions = regions): string | undefined {
  const districts = Object.hasOwn(config, regionId) ? config[regionId]!.postcodeDistricts : undefined;
  return Object.entries(districts ?? {}).find(([, list]) => list.includes(district))?.[0];
}

/** The region's member councils: its agencies other than the hub (the ones the hub hands households to). */
export function councilsOfRegion(regionId: string, config: Regions = regions): readonly string[] | undefined {
  const agencyIds = agenciesOfRegion(regionId, config);
  return agencyIds?.filter((agencyId) => agencyId !== config[regionId]!.hubAgencyId);
}
