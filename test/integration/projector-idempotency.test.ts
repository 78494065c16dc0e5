// Every projector, through its real handler chain against DynamoDB Local, is idempotent by eventId:
// a redelivery, a concurrent duplicate, a redrive of an event that had in fact been written, or a copy
// carrying another occurredAt changes nothing (docs/rules.md, delivery: at-least-once, unordered).
import type { EventBridgeEvent } from 'aws-lambda';
import { EVENT_SOURCE, type DetailType, type DomainEventOf, type HouseholdEvent } from '../../shared/events/catalogue';
import { lambdaContext, requireHandler } from '../../local/lambda-runtime';
import { agencySettingsChanges, childrenInCareSnapshots, referralRewardsDue } from '../../shared/store/agency-ledger';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import { bedsOnHoldFor, capacityFor } from '../../shared/queries/capacity';
import { getCampaign, spendBetween } from '../../shared/store/campaigns';
import { appendHouseholdEvent, readHouseholdHistory } from '../../shared/store/households';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { anEvent, approval, assessment, enquiry, holdStart, initialVisit, placementStart, referralOn } from '../support/funnel-events';
import { runStreamReader, useFreshTables } from '../support/tables';

beforeAll(useFreshTables);
const counts = runStreamReader();

type Projector = 'household' | 'campaign' | 'agency-ledger';

/** Delivers an event to a projector as EventBridge would: a fresh envelope each time. */
async function deliver(projector: Projector, event: { detailType: DetailType; detail: object }): Promise<void> {
  const envelope: EventBridgeEvent<string, unknown> = {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': event.detailType,
    source: EVENT_SOURCE,
    account: '000000000000',
    time: '2019-07-01T10:00:00Z',
    region: 'eu-west-2',
    resources: [],
    detail: event.detail,
  };
  await requireHandler(`projectors/${projector}`)(envelope, lambdaContext(projector));
}

/** The same event three times at once, then once more later, then a copy with another occurredAt. */
async function deliverAsAtLeastOnce<T extends DetailType>(projector: Projector, event: DomainEventOf<T>): Promise<void> {
  await Promise.all([1, 2, 3].map(() => deliver(projector, event)));
  await deliver(projector, event);
  await deliver(projector, { ...event, detail: { ...event.detail, occurredAt: '2019-07-02T09:00:00.000Z' } });
}

describe('projectors are idempotent by eventId', () => {
  it("a household's events, each delivered at least once, give the figures of one delivery each", async () => {
    const history = (agencyId: string) =>
      [
        enquiry('h-idem', '2019-07-02', { channel: 'facebook', campaignId: 'link' }),
        initialVisit('h-idem', '2019-07-10'),
        assessment('h-idem', '2019-07-20', 2),
        approval('h-idem', '2019-08-20', 2),
        placementStart('h-idem', 'p1', '2019-09-02'),
        holdStart('h-idem', 'x', '2019-09-05', 'matching'),
      ].map((e) => ({ ...e, detail: { ...e.detail, agencyId } }) as HouseholdEvent);
    for (const event of history('idem-household-once')) await deliver('household', event);
    for (const event of history('idem-household-many')) await deliverAsAtLeastOnce('household', event);

    const figures = async (agencyId: string) => ({
      conversion: await counts
        .caughtUp()
        .then(() => campaignConversionFor(agencyId, { from: '2019-07-01', to: '2019-08-31', groupBy: 'channel' })),
      capacity: await capacityFor(agencyId, '2019-09-30'),
      bedsOnHold: await bedsOnHoldFor(agencyId, '2019-09-30'),
    });
    const once = await figures('idem-household-once');
    expect([once.conversion.cohort.enquiries, once.conversion.cohort.approvals]).toStrictEqual([1, 1]);
    expect(await figures('idem-household-many')).toStrictEqual(once);
    const stored = await readHouseholdHistory('idem-household-many', 'h-idem');
    expect([stored.events.length, stored.version]).toStrictEqual([6, 6]);
  });

  it('a referral reward is due once', async () => {
    await deliverAsAtLeastOnce(
      'agency-ledger',
      anEvent('ReferralRewardDue', '2019-11-01', {
        agencyId: 'idem-reward',
        referrerHouseholdId: 'carer-1',
        referredHouseholdId: 'friend',
        amountPence: 30_000,
      }),
    );
    expect(await referralRewardsDue('idem-reward')).toHaveLength(1);
  });

  it('campaign spend is counted once', async () => {
    await deliverAsAtLeastOnce(
      'campaign',
      anEvent('CampaignSpendRecorded', '2019-07-01', { campaignId: 'c1', amountPence: 450_000, agencyId: 'idem-spend' }),
    );
    const spend = await spendBetween('idem-spend', '2019-07-01', '2019-07-31');
    expect(spend.map((s) => s.amountPence)).toStrictEqual([450_000]);
  });

  it('a children-in-care count is recorded once', async () => {
    await deliverAsAtLeastOnce(
      'agency-ledger',
      anEvent('ChildrenInCareRecorded', '2019-07-01', {
        childrenInCare: 769,
        fosteredInHouse: 272,
        fosteredAgency: 180,
        agencyId: 'idem-cic',
      }),
    );
    expect(await childrenInCareSnapshots('idem-cic', '2019-07-01T00:00:00.000Z', '2019-07-31T23:59:59.999Z')).toHaveLength(1);
  });

  it('a settings change is kept once in the history', async () => {
    await deliverAsAtLeastOnce(
      'agency-ledger',
      anEvent('AgencySettingsChanged', '2019-07-01', { attritionRate: 0.12, targetInHouseShare: 0.6, agencyId: 'idem-settings' }),
    );
    expect(await agencySettingsChanges('idem-settings')).toHaveLength(1);
  });

  it('a regional campaign is recorded for every agency it names, and the latest launch wins everywhere', async () => {
    // A shared campaign names agencies of its launcher's region only (docs/rules.md, tenancy).
    const agencyIds = ['cambs', 'peterborough', 'norfolk'];
    const first = anEvent('CampaignLaunched', '2019-07-01', {
      campaignId: 'hub',
      name: 'Hub, first',
      channels: ['radio'],
      startsOn: '2019-07-01',
      agencyId: 'cambs',
      agencyIds,
    });
    const second = anEvent('CampaignLaunched', '2019-07-05', {
      campaignId: 'hub',
      name: 'Hub, renamed',
      channels: ['radio'],
      startsOn: '2019-07-01',
      agencyId: 'cambs',
      agencyIds,
    });
    // One agency already holds an even later launch of the id: the others still take the second one.
    const latestForC = anEvent('CampaignLaunched', '2019-07-09', {
      campaignId: 'hub',
      name: 'Hub, C only',
      channels: ['radio'],
      startsOn: '2019-07-01',
      agencyId: 'norfolk',
      agencyIds: ['norfolk'],
    });
    await deliver('campaign', latestForC);
    await Promise.all([deliver('campaign', second), deliver('campaign', second), deliver('campaign', first)]);
    await deliver('campaign', first);
    expect(await Promise.all(agencyIds.map(async (id) => (await getCampaign(id, 'hub'))?.name))).toStrictEqual([
      'Hub, renamed',
      'Hub, renamed',
      'Hub, C only',
    ]);
  });

  it('a household event written before its delivery failed passes its referral on when delivered again', async () => {
    const events = [
      enquiry('h-ref', '2019-07-01', { agencyId: 'idem-from', channel: 'radio' }),
      referralOn('h-ref', '2019-07-03', 'idem-to'),
    ].map((e) => ({ ...e, detail: { ...e.detail, agencyId: 'idem-from' } })) as Parameters<typeof projectHouseholdEvent>[0][];
    await projectHouseholdEvent(events[0]!);
    // The referral is recorded, then the delivery dies before the referral reaches the other agency.
    expect((await appendHouseholdEvent(events[1]!)).outcome).toBe('written');
    expect((await readHouseholdHistory('idem-to', 'h-ref')).referralsIn).toHaveLength(0);

    expect((await projectHouseholdEvent(events[1]!)).outcome).toBe('duplicate');
    const received = await readHouseholdHistory('idem-to', 'h-ref');
    expect(received.referralsIn.map((r) => r.fromAgencyId)).toStrictEqual(['idem-from']);
    expect(received.state?.enquiry?.at).toBe('2019-07-01T09:00:00.000Z');
  });
});
