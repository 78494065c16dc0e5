// Who may hand a household over, and to whom (docs/rules.md, hub).
import { checkHandover, suggestedCouncil } from '../../shared/domain/handover';
import { parseRegions } from '../../shared/wiring/regions';

const config = parseRegions({
  east: {
    name: 'East',
    agencyIds: ['cambs', 'peterborough', 'east-hub'],
    hubAgencyId: 'east-hub',
    postcodeDistricts: { cambs: ['CB4'], peterborough: ['PE1'] },
  },
  west: { name: 'West', agencyIds: ['bristol', 'bath'] },
});

describe('a handover', () => {
  it('goes from the hub to a member council of its region', () => {
    expect(checkHandover('east-hub', 'peterborough', config)).toEqual({ allowed: true });
  });

  it('is refused (400 naming toAgencyId) to an agency that is not one of its councils', () => {
    for (const to of ['bristol', 'east-hub', 'nowhere']) {
      const verdict = checkHandover('east-hub', to, config);
      expect(verdict).toMatchObject({ allowed: false, status: 400, fields: [{ field: 'toAgencyId' }] });
    }
  });

  it("is not a council's to make, even to its own region's agencies (403: it refers on instead)", () => {
    expect(checkHandover('cambs', 'peterborough', config)).toMatchObject({
      allowed: false,
      status: 403,
      message: expect.stringMatching(/no region's hub/),
    });
    expect(checkHandover('bristol', 'bath', config)).toMatchObject({ allowed: false, status: 403 });
  });
});

describe('the council suggested for a handover', () => {
  it("is, for the hub's household, the member council its postcode district is in", () => {
    expect(suggestedCouncil('east-hub', 'PE1', config)).toBe('peterborough');
    expect(suggestedCouncil('east-hub', 'CB4', config)).toBe('cambs');
  });

  it("is none without a district, for a district the map does not have, and for a council's own household", () => {
    expect(suggestedCouncil('east-hub', undefined, config)).toBeNull();
    expect(suggestedCouncil('east-hub', 'NR1', config)).toBeNull();
    expect(suggestedCouncil('cambs', 'PE1', config)).toBeNull();
  });
});
