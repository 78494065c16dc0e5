// Refer a friend: the reward is emitted once, through the real bus and projectors, however often
// the approval is delivered and in whatever order the events arrive.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalEventBus, type LocalEventBus } from '../../local/event-bus';
import { requireHandler } from '../../local/lambda-runtime';
import { DeadLetterStore } from '../../local/dead-letters/store';
import { EVENT_BUS_NAME_ENV, LOCAL_EVENTBRIDGE_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { EVENT_SOURCE } from '../../shared/events/catalogue';
import { referralRewardsDue } from '../../shared/store/agency-ledger';
import { approval, enquiry } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

let bus: LocalEventBus;
const rewardDeliveries: string[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  await useFreshTables();
  bus = await startLocalEventBus({
    deadLetters: new DeadLetterStore(mkdtempSync(join(tmpdir(), 'dead-letters-'))),
    loadHandler: (entry) => {
      const handler = requireHandler(entry);
      return (event, context) => {
        const e = event as { 'detail-type': string; detail: { eventId: string } };
        if (e['detail-type'] === 'ReferralRewardDue') rewardDeliveries.push(e.detail.eventId);
        return handler(event, context);
      };
    },
  });
  process.env[LOCAL_EVENTBRIDGE_ENDPOINT_ENV] = bus.url;
  process.env[EVENT_BUS_NAME_ENV] = EVENT_BUS_NAME;
});

afterAll(async () => {
  await bus.stop();
  process.env = savedEnv;
});

const put = (...events: Array<{ detailType: string; detail: object }>) =>
  bus.putEvents({
    Entries: events.map((e) => ({
      EventBusName: 'fostering',
      Source: EVENT_SOURCE,
      DetailType: e.detailType,
      Detail: JSON.stringify(e.detail),
    })),
  });

it('emits ReferralRewardDue once when a household referred by a friend is approved, the approval delivered three times', async () => {
  const approved = approval('friend', '2019-11-01', 2);
  put(approved, approved); // the approval arrives before the enquiry that names the referrer
  await bus.whenIdle();
  put(enquiry('friend', '2019-10-02', { channel: 'referral', referredByHouseholdId: 'carer-1' }));
  await bus.whenIdle();
  put(approved);
  await bus.whenIdle();

  expect(new Set(rewardDeliveries).size).toBe(1);
  expect(await referralRewardsDue('agency-a')).toEqual([
    expect.objectContaining({ referrerHouseholdId: 'carer-1', referredHouseholdId: 'friend', amountPence: 30_000 }),
  ]);
  expect(bus.counts()).toMatchObject({ deadLettered: 0 });
});
