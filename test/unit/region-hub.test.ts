// The region file's hub: one of the region's own agencies, the others being its member councils.
import { ZodError } from 'zod';
import { councilOfDistrict, councilsOfRegion, hubOfRegion, parseRegions, regionHubbedBy, regions } from '../../shared/wiring/regions';

const config = parseRegions({
  east: {
    name: 'East',
    agencyIds: ['cambs', 'peterborough', 'east-hub'],
    hubAgencyId: 'east-hub',
    postcodeDistricts: { cambs: ['CB1', 'PE13'], peterborough: ['PE1'] },
  },
  west: { name: 'West', agencyIds: ['bristol'] },
});

describe("a region's hub", () => {
  it('is named by the region file and is one of its agencies', () => {
    expect(hubOfRegion('east', config)).toBe('east-hub');
    expect(regionHubbedBy('east-hub', config)).toBe('east');
  });

  it('leaves the other agencies as the member councils', () => {
    expect(councilsOfRegion('east', config)).toEqual(['cambs', 'peterborough']);
  });

  it('is absent from a region that names none, whose agencies are all councils', () => {
    expect(hubOfRegion('west', config)).toBeUndefined();
    expect(regionHubbedBy('bristol', config)).toBeUndefined();
    expect(councilsOfRegion('west', config)).toEqual(['bristol']);
  });

  it('must be an agency of its region', () => {
    expect(() => parseRegions({ east: { name: 'East', agencyIds: ['cambs'], hubAgencyId: 'elsewhere' } })).toThrow(
      /elsewhere is not one of the region's agencies/,
    );
  });

  it('is eoe-hub for the checked-in east-of-england region, beside its three councils', () => {
    expect(hubOfRegion('east-of-england', regions)).toBe('eoe-hub');
    expect(councilsOfRegion('east-of-england', regions)).toEqual(['cambs', 'peterborough', 'norfolk']);
  });
});

/** Every issue the region file's schema raises, as `path: message`. */
function issuesOf(config: unknown): string[] {
  try {
    parseRegions(config);
  } catch (error) {
    if (error instanceof ZodError) return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe("a region's postcode districts", () => {
  it('map each district to the member council whose area it is in', () => {
    expect(councilOfDistrict('east', 'PE13', config)).toBe('cambs');
    expect(councilOfDistrict('east', 'PE1', config)).toBe('peterborough');
  });

  it('leave a district the map does not have, and a region without a map, to the officer', () => {
    expect(councilOfDistrict('east', 'NR1', config)).toBeUndefined();
    expect(councilOfDistrict('west', 'BS1', config)).toBeUndefined();
  });

  it('are refused naming every bad entry: a council outside the region, the hub itself, a district that is no outward code, one under two councils', () => {
    expect(
      issuesOf({
        east: {
          name: 'East',
          agencyIds: ['cambs', 'peterborough', 'east-hub'],
          hubAgencyId: 'east-hub',
          postcodeDistricts: { cambs: ['CB1', 'cb2 1ab'], bristol: ['BS1'], 'east-hub': ['CB9'], peterborough: ['PE1', 'CB1'] },
        },
      }),
    ).toEqual([
      'east.postcodeDistricts.cambs.1: an outward postcode such as CB4',
      'east.postcodeDistricts.bristol: bristol is not a member council of the region',
      'east.postcodeDistricts.east-hub: east-hub is not a member council of the region',
      "east.postcodeDistricts.peterborough.1: CB1 is already cambs's: a district suggests one council (leave a shared one out)",
    ]);
  });

  it('belong to a region with a hub only', () => {
    expect(issuesOf({ west: { name: 'West', agencyIds: ['bristol'], postcodeDistricts: { bristol: ['BS1'] } } })).toEqual([
      'west.postcodeDistricts: only a region with a hub (hubAgencyId) maps districts to councils',
    ]);
  });

  it('cover every member council of the checked-in east-of-england hub, so its records suggest one', () => {
    const mapped = Object.keys(regions['east-of-england']!.postcodeDistricts ?? {});
    expect(mapped.sort()).toEqual([...councilsOfRegion('east-of-england', regions)!].sort());
    expect(councilOfDistrict('east-of-england', 'PE1', regions)).toBe('peterborough');
  });
});
