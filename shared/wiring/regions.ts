// The regions of SPEC §6, from the checked-in shared/wiring/regions.json (bundled into every function at
// build time, read by the local runtime as it starts): validated once, here.
import * as z from 'zod';
import { Identifier } from '../events/catalogue';
import regionsFile from './regions.json';

const RegionsSchema = z.record(Identifier, z.strictObject({ name: z.string().min(1), agencyIds: z.array(Identifier).min(1) }))
  .superRefine((regions, context) => {
    const seen = new Map<string, string>();
    for (const [regionId, region] of Object.entries(regions)) {
      for (const agencyId of region.agencyIds) {
        const other = seen.get(agencyId);
        if (other) context.addIssue({ code: 'custom', path: [regionId, 'agencyIds'], message: `${agencyId} is already in ${other}` });
        seen.set(agencyId, regionId);
      }
    }
  });

export type Regions = z.infer<typeof RegionsSchema>;

export function parseRegions(config: unknown): Regions {
  return RegionsSchema.parse(config);
}

export const regions: Regions = parseRegions(regionsFile.regions);

/** The agencies of a region, or undefined for a region not configured. */
export function agenciesOfRegion(regionId: string, config: Regions = regions): readonly string[] | undefined {
  return Object.hasOwn(config, regionId) ? config[regionId]!.agencyIds : undefined;
}
