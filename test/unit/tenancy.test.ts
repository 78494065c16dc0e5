// Tenancy (docs/rules.md): a referral or a shared campaign reaches only agencies of the sender's region; an agency
// in no region reaches none. One rule for the API and the bus (shared/domain/tenancy.ts); a household
// referred back to the agency that referred it on is open there again, at the stage it had reached.
import { currentClosure, foldHousehold, furthestStage, referredOnNow, statusOf } from '../../shared/domain/household';
import { checkHouseholdCommand } from '../../shared/domain/command-rules';
import { retentionClock } from '../../shared/domain/retention';
import { tenancyViolations } from '../../shared/domain/tenancy';
import { parseRegions } from '../../shared/wiring/regions';
import { referralSnapshot } from '../../shared/domain/referral';
import { anEvent, enquiry, initialVisit } from '../support/funnel-events';

const regions = parseRegions({
  east: { name: 'East', agencyIds: ['cambs', 'peterborough', 'norfolk'] },
  west: { name: 'West', agencyIds: ['bristol'] },
});
const referral = (from: string, to: string) =>
  anEvent('EnquiryReferredOn', '2019-06-01', { agencyId: from, householdId: 'h1', toAgencyId: to });
const campaign = (from: string, agencyIds: string[]) =>
  anEvent('CampaignLaunched', '2019-06-01', {
    agencyId: from,
    campaignId: 'c1',
    name: 'Shared',
    channels: ['radio'],
    startsOn: '2019-06-01',
    agencyIds,
  });

describe('who may refer to whom', () => {
  it('an agency of the region: allowed', () => {
    expect(tenancyViolations(referral('cambs', 'norfolk'), regions)).toEqual([]);
  });

  it('an agency of another region, or of none: refused, naming toAgencyId', () => {
    expect(tenancyViolations(referral('cambs', 'bristol'), regions)).toEqual([
      { field: 'toAgencyId', message: expect.stringContaining('region (east)') },
    ]);
    expect(tenancyViolations(referral('cambs', 'anywhere'), regions)).toEqual([{ field: 'toAgencyId', message: expect.any(String) }]);
  });

  it('an agency in no region refers on to none, not even another agency in no region', () => {
    expect(tenancyViolations(referral('lonely', 'cambs'), regions)).toEqual([
      { field: 'toAgencyId', message: expect.stringContaining('in no region') },
    ]);
    expect(tenancyViolations(referral('lonely', 'solitary'), regions)).toHaveLength(1);
  });

  it('never to itself', () => {
    expect(tenancyViolations(referral('cambs', 'cambs'), regions)).toEqual([{ field: 'toAgencyId', message: 'must be another agency' }]);
  });
});

describe('whom a campaign may be shared with', () => {
  it('the launcher and agencies of its region: allowed', () => {
    expect(tenancyViolations(campaign('cambs', ['cambs', 'peterborough', 'norfolk']), regions)).toEqual([]);
    expect(tenancyViolations(campaign('lonely', ['lonely']), regions)).toEqual([]);
  });

  it('names every agency outside the region, by its place in agencyIds', () => {
    expect(tenancyViolations(campaign('cambs', ['cambs', 'bristol', 'norfolk', 'nowhere']), regions).map((e) => e.field)).toEqual([
      'agencyIds.1',
      'agencyIds.3',
    ]);
  });

  it('must name its launcher', () => {
    expect(tenancyViolations(campaign('cambs', ['norfolk']), regions)).toEqual([
      { field: 'agencyIds', message: 'must include the launching agency' },
    ]);
  });

  it('an agency in no region shares with none', () => {
    expect(tenancyViolations(campaign('lonely', ['lonely', 'cambs']), regions).map((e) => e.field)).toEqual(['agencyIds.1']);
  });
});

describe('a household referred back to the agency that referred it on', () => {
  // cambs refers h1 to norfolk on 1 July; norfolk records a visit, then refers it back on 1 September.
  const referredOn = (agencyId: string, on: string, toAgencyId: string) =>
    anEvent('EnquiryReferredOn', on, { agencyId, householdId: 'h1', toAgencyId });
  const atCambs = [
    enquiry('h1', '2019-06-01', { agencyId: 'cambs', channel: 'radio', campaignId: 'spring' }),
    referredOn('cambs', '2019-07-01', 'norfolk'),
  ];
  const cambsBefore = foldHousehold('cambs', 'h1', atCambs);
  const atNorfolk = [initialVisit('h1', '2019-08-01', 'norfolk'), referredOn('norfolk', '2019-09-01', 'cambs')];
  const norfolk = foldHousehold('norfolk', 'h1', atNorfolk, [referralSnapshot(cambsBefore)!]);
  const cambs = foldHousehold('cambs', 'h1', atCambs, [referralSnapshot(norfolk)!]);

  it('is open again there, at the stage it had reached, with its campaign', () => {
    expect(statusOf(cambs)).toBe('open');
    expect(currentClosure(cambs)).toBeUndefined();
    expect(cambs.closures).toEqual([
      { at: '2019-07-01T09:00:00.000Z', reason: 'referred_elsewhere', reopenedAt: '2019-09-01T09:00:00.000Z' },
    ]);
    expect(furthestStage(cambs)).toBe('initialVisit');
    expect(cambs.enquiry).toMatchObject({ channel: 'radio', campaignId: 'spring' });
    expect(referredOnNow(cambs)).toBeUndefined();
    expect(referredOnNow(norfolk)).toEqual({ at: '2019-09-01T09:00:00.000Z', toAgencyId: 'cambs' });
  });

  it('takes its next step there (no 409)', () => {
    expect(checkHouseholdCommand(cambs, anEvent('AssessmentStarted', '2019-09-10', { agencyId: 'cambs', householdId: 'h1' }))).toEqual({
      allowed: true,
    });
  });

  it('keeps its contact details: an open household has no retention clock running', () => {
    expect(retentionClock({ household: cambsBefore })).toEqual({ ground: 'enquiry', since: '2019-07-01T09:00:00.000Z' });
    expect(retentionClock({ household: cambs })).toBeUndefined();
  });

  it('whatever the order the referral and the events arrived in', () => {
    expect(foldHousehold('cambs', 'h1', [...atCambs].reverse(), [referralSnapshot(norfolk)!])).toStrictEqual(cambs);
  });
});
