// The household projector against DynamoDB Local: idempotent by eventId, order-independent,
// safe under concurrent deliveries (SPEC §2).
import fc from 'fast-check';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import { getHouseholdState, readHouseholdPartition } from '../../shared/store/households';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { approval, assessment, closure, enquiry, initialVisit, referralOn } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

beforeAll(useFreshTables);

/** One agency's funnel: every kind of stage event, a closure, a reopening, a referral on. */
function funnelHistory(agencyId: string): HouseholdEvent[] {
  return [
    enquiry('h1', '2019-07-02', { campaignId: 'link', channel: 'facebook' }),
    initialVisit('h1', '2019-07-10'), assessment('h1', '2019-08-01', 2), approval('h1', '2019-08-20', 2),
    enquiry('h2', '2019-07-03', { campaignId: 'link', channel: 'information_event' }),
    closure('h2', '2019-07-05', 'no_response'), initialVisit('h2', '2019-07-25'),
    enquiry('h3', '2019-07-04', { channel: 'website' }), referralOn('h3', '2019-07-09', `${agencyId}-b`),
    enquiry('h4', '2018-07-04', { campaignId: 'link', channel: 'facebook' }), assessment('h4', '2018-08-04'),
  ].map((e) => inAgency(agencyId, e));
}

const inAgency = (agencyId: string, event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;

const query = { from: '2019-07-01', to: '2019-08-31', groupBy: 'channel' as const };
let runs = 0;

describe('the household projection', () => {
  it('records an event once however often it is delivered', async () => {
    const event = inAgency('dup-agency', enquiry('dup', '2019-07-02'));
    expect((await projectHouseholdEvent(event)).outcome).toBe('written');
    expect((await projectHouseholdEvent(event)).outcome).toBe('duplicate');
    const partition = await readHouseholdPartition('dup-agency', 'dup');
    expect(partition.events).toHaveLength(1);
    expect(partition.version).toBe(1);
  });

  it('passes a referred household on, open at the stage it reached, even when its earlier events arrive after the referral', async () => {
    const [enq, visit, referral] = [enquiry('r1', '2019-07-02', { campaignId: 'link' }), initialVisit('r1', '2019-07-04'), referralOn('r1', '2019-07-09', 'ref-b')]
      .map((e) => inAgency('ref-a', e));
    for (const e of [referral!, visit!, enq!]) await projectHouseholdEvent(e);
    const received = await getHouseholdState('ref-b', 'r1');
    expect(received?.enquiry?.campaignId).toBe('link');
    expect(received?.initialVisitAt).toBe('2019-07-04T09:00:00.000Z');
    expect(received?.closures).toEqual([]);
  });

  it('gives the same metrics for any delivery order, any duplicates, and concurrent deliveries', async () => {
    const reference = await (async () => {
      const agencyId = `ref-${runs++}`;
      for (const e of funnelHistory(agencyId)) await projectHouseholdEvent(e);
      return campaignConversionFor(agencyId, query);
    })();
    expect(reference.cohort).toEqual({ enquiries: 3, initialVisits: 2, assessments: 1, approvals: 1, approvedBeds: 2, open: 1, closed: { referred_elsewhere: 1 } });

    await fc.assert(fc.asyncProperty(
      fc.array(fc.nat(), { minLength: 11, maxLength: 11 }),
      fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 8 }),
      fc.integer({ min: 1, max: 4 }),
      async (sortKeys, duplicates, concurrency) => {
        const agencyId = `run-${runs++}`;
        const history = funnelHistory(agencyId);
        const deliveries = [...history.map((e, i) => ({ e, k: sortKeys[i]! })), ...duplicates.map((i, j) => ({ e: history[i]!, k: sortKeys[(i + j) % 11]! + 0.5 }))]
          .sort((x, y) => x.k - y.k).map((d) => d.e);
        for (let i = 0; i < deliveries.length; i += concurrency) {
          await Promise.all(deliveries.slice(i, i + concurrency).map((e) => projectHouseholdEvent(e)));
        }
        const result = await campaignConversionFor(agencyId, query);
        expect(result).toStrictEqual(reference);
      },
    ), { numRuns: 25 });
  });
});
