// The region file's hub: one of the region's own agencies, the others being its member councils.
import { councilsOfRegion, hubOfRegion, parseRegions, regionHubbedBy, regions } from '../../shared/wiring/regions';

const config = parseRegions({
  east: { name: 'East', agencyIds: ['cambs', 'peterborough', 'east-hub'], hubAgencyId: 'east-hub' },
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
