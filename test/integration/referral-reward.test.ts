// Refer a friend: the reward comes from the outbox, not from a lucky order. It is stored with the first
// household state that makes it due, whichever write that is, and emitted once, whatever order the
// events arrive in and however often: the approval first, and a referral passed between agencies.
// Real projectors, the local bus, the outbox relay over DynamoDB Local's stream.
import '../support/referral-test-region';
import fc from 'fast-check';
import type { DomainEvent } from '../../shared/events/catalogue';
import { referralRewardsDue } from '../../shared/store/agency-ledger';
import { referralRewardEventId } from '../../shared/domain/household';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import { anEvent, approval, assessment, enquiry, initialVisit, referralOn } from '../support/funnel-events';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';

let stack: InProcessStack;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startInProcessStack();
});
afterAll(() => stack?.stop());

const inAgency = (agencyId: string, event: DomainEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as DomainEvent;
/** How often a ReferralRewardDue reached the bus (and so the agency ledger) since `from`. */
const rewardsOnTheBus = (from: number) => stack.settled.slice(from).filter((s) => s.event['detail-type'] === 'ReferralRewardDue');

it('emits ReferralRewardDue once when a household referred by a friend is approved, the approval first and delivered three times', async () => {
  const before = stack.settled.length;
  const approved = inAgency('agency-a', approval('friend', '2019-11-01', 2));
  await stack.record(approved, approved);
  await stack.record(inAgency('agency-a', enquiry('friend', '2019-10-02', { channel: 'referral', referredByHouseholdId: 'carer-1' })));
  await stack.record(approved);

  expect(rewardsOnTheBus(before)).toHaveLength(1);
  expect(await referralRewardsDue('agency-a')).toEqual([
    expect.objectContaining({
      referrerHouseholdId: 'carer-1',
      referredHouseholdId: 'friend',
      amountPence: 30_000,
      occurredAt: '2019-11-01T09:00:00.000Z',
    }),
  ]);
  expect(stack.bus.counts()).toMatchObject({ deadLettered: 0 });
});

/** A household that enquired at `from` through a friend, was referred on to `to` and approved there. */
const referredHistory = (run: number): DomainEvent[] => {
  const [from, to, id] = [`from-${run}`, `to-${run}`, `friend-${run}`];
  return [
    inAgency(from, enquiry(id, '2019-06-02', { channel: 'referral', referredByHouseholdId: 'carer-1' })),
    inAgency(from, initialVisit(id, '2019-06-20')),
    inAgency(from, referralOn(id, '2019-07-01', to)),
    inAgency(to, assessment(id, '2019-08-01', 2)),
    inAgency(to, approval(id, '2020-01-10', 2)),
  ];
};
let runs = 0;

it('every delivery order, with duplicates, of a referral passed between agencies gives one reward, due at the receiving agency', async () => {
  const length = referredHistory(0).length;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.nat(), { minLength: length, maxLength: length }),
      fc.array(fc.integer({ min: 0, max: length - 1 }), { maxLength: 4 }),
      async (sortKeys, duplicates) => {
        const run = runs++;
        const history = referredHistory(run);
        const deliveries = [
          ...history.map((e, i) => ({ e, k: sortKeys[i]! })),
          ...duplicates.map((i) => ({ e: history[i]!, k: sortKeys[i]! + 0.5 })),
        ]
          .sort((x, y) => x.k - y.k)
          .map((d) => d.e);
        const before = stack.settled.length;
        // One at a time, each projected (and its outbox read) before the next: an order, not a race.
        for (const event of deliveries) await stack.record(event);

        expect(rewardsOnTheBus(before).map((s) => (s.event.detail as { agencyId: string }).agencyId)).toEqual([`to-${run}`]);
        expect(await referralRewardsDue(`to-${run}`)).toEqual([
          expect.objectContaining({
            referrerHouseholdId: 'carer-1',
            referredHouseholdId: `friend-${run}`,
            occurredAt: '2020-01-10T09:00:00.000Z',
          }),
        ]);
        expect(await referralRewardsDue(`from-${run}`)).toEqual([]);
      },
    ),
    { numRuns: 12 },
  );
}, 300_000);

it('GET /referral-rewards lists the rewards due in the window for marketing and managers', async () => {
  const { apiRoute } = await import('../../shared/wiring/http-routes');
  const { signLocalToken } = await import('../../local/tokens');
  const token = await signLocalToken({ secret: stack.jwtSecret, groups: ['marketing'], agencyId: 'agency-a' });
  const inWindow = await stack.call(apiRoute('ReferralRewards'), { query: { from: '2019-11-01', to: '2019-11-30' } }, token);
  expect(inWindow).toMatchObject({
    status: 200,
    body: {
      from: '2019-11-01',
      to: '2019-11-30',
      rewards: [
        {
          referrerHouseholdId: 'carer-1',
          referredHouseholdId: 'friend',
          amountPence: 30_000,
          dueOn: '2019-11-01',
          eventId: referralRewardEventId('agency-a', 'friend'),
        },
      ],
    },
  });
  const before = await stack.call(apiRoute('ReferralRewards'), { query: { from: '2019-10-01', to: '2019-10-31' } }, token);
  expect(before.body.rewards).toEqual([]);
  const tooLong = await stack.call(apiRoute('ReferralRewards'), { query: { from: '2000-01-01', to: '2019-10-31' } }, token);
  expect(tooLong.status).toBe(400);
});

it('counts a reward as spend on the campaign the referred household enquired through, on the day it fell due', async () => {
  const agencyId = 'agency-raf';
  await stack.record(
    inAgency(
      agencyId,
      anEvent('CampaignLaunched', '2019-05-01', {
        campaignId: 'raf-2019',
        name: 'Refer a friend 2019',
        channels: ['referral'],
        startsOn: '2019-05-01',
        agencyIds: [agencyId],
      }),
    ),
    inAgency(agencyId, anEvent('CampaignSpendRecorded', '2019-05-02', { campaignId: 'raf-2019', amountPence: 100_000 })),
    inAgency(
      agencyId,
      enquiry('raf-friend', '2019-06-03', { channel: 'referral', campaignId: 'raf-2019', referredByHouseholdId: 'raf-carer' }),
    ),
    inAgency(agencyId, enquiry('raf-other', '2019-06-04', { channel: 'referral', referredByHouseholdId: 'raf-carer' })),
  );
  await stack.record(
    inAgency(agencyId, approval('raf-friend', '2019-12-02', 1)),
    inAgency(agencyId, approval('raf-other', '2019-12-03', 1)),
  );

  const figures = await campaignConversionFor(agencyId, { from: '2019-04-01', to: '2020-03-31', groupBy: 'campaign' });
  const campaign = figures.groups.find((group) => group.key === 'raf-2019');
  // £1,000 recorded and one £300 reward (the other referred household named no campaign: no campaign's spend).
  expect(campaign?.cost).toMatchObject({ spendPence: 130_000, costPerApproval: 130_000 });
  expect(figures.cost.spendPence).toBe(130_000);
  // Outside the window of its due date, the reward is not spent.
  const before = await campaignConversionFor(agencyId, { from: '2019-04-01', to: '2019-11-30', groupBy: 'campaign' });
  expect(before.groups.find((group) => group.key === 'raf-2019')?.cost.spendPence).toBe(100_000);
});
