// The household projector against DynamoDB Local: idempotent by eventId, order-independent,
// safe under concurrent deliveries (docs/rules.md, delivery).
import fc from 'fast-check';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import { readHouseholdHistory, readHouseholdState } from '../../shared/store/households';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { capacityFor, bedsOnHoldFor } from '../../shared/queries/capacity';
import {
  anEvent,
  approval,
  approvalChange,
  assessment,
  closure,
  enquiry,
  holdEnd,
  holdStart,
  initialVisit,
  placementEnd,
  placementStart,
  referralOn,
  resignation,
} from '../support/funnel-events';
import { runStreamReader, useFreshTables } from '../support/tables';

beforeAll(useFreshTables);
const counts = runStreamReader();

/** One agency's funnel: every kind of stage event, a closure, a reopening, a referral on. */
function funnelHistory(agencyId: string): HouseholdEvent[] {
  return [
    enquiry('h1', '2019-07-02', { campaignId: 'link', channel: 'facebook' }),
    initialVisit('h1', '2019-07-10'),
    assessment('h1', '2019-08-01', 2),
    approval('h1', '2019-08-20', 2),
    enquiry('h2', '2019-07-03', { campaignId: 'link', channel: 'information_event' }),
    closure('h2', '2019-07-05', 'no_response'),
    initialVisit('h2', '2019-07-25'),
    enquiry('h3', '2019-07-04', { channel: 'website' }),
    referralOn('h3', '2019-07-09', `${agencyId}-b`),
    enquiry('h4', '2018-07-04', { campaignId: 'link', channel: 'facebook' }),
    assessment('h4', '2018-08-04'),
    // After approval: the approval changed, children placed and one leaving, overlapping holds, a risk flag.
    approvalChange('h1', '2019-09-01', 3),
    placementStart('h1', 'p1', '2019-09-02', 'time_limited'),
    placementStart('h1', 'p2', '2019-09-03', 'matched_long_term'),
    placementEnd('h1', 'p1', '2019-09-20'),
    holdStart('h1', 'x', '2019-09-05', 'matching'),
    holdStart('h1', 'y', '2019-09-10', 'standards_of_care', 1),
    holdEnd('h1', 'x', '2019-09-25'),
    anEvent('ResignationRiskFlagged', '2019-09-12', { householdId: 'h1', reason: 'retirement', likelihood: 0.5 }),
    // A household approved long ago, on hold, then resigned.
    approval('h5', '2017-03-01', 2),
    holdStart('h5', 'z', '2019-06-01', 'carer_health'),
    resignation('h5', '2019-09-15', 'health'),
  ].map((e) => inAgency(agencyId, e));
}

/** Every metric the history feeds, at dates before, between and after its carer events. */
async function metricsOf(agencyId: string) {
  return {
    conversion: await counts.caughtUp().then(() => campaignConversionFor(agencyId, query)),
    capacity: await Promise.all(['2019-09-12', '2019-09-30'].map((at) => capacityFor(agencyId, at))),
    bedsOnHold: await Promise.all(['2019-09-12', '2019-09-30'].map((at) => bedsOnHoldFor(agencyId, at))),
  };
}

const inAgency = (agencyId: string, event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;

const query = { from: '2019-07-01', to: '2019-08-31', groupBy: 'channel' as const };
let runs = 0;

describe('the household projection', () => {
  it('records an event once however often it is delivered', async () => {
    const event = inAgency('dup-agency', enquiry('dup', '2019-07-02'));
    expect((await projectHouseholdEvent(event)).outcome).toBe('written');
    expect((await projectHouseholdEvent(event)).outcome).toBe('duplicate');
    const stored = await readHouseholdHistory('dup-agency', 'dup');
    expect(stored.events).toHaveLength(1);
    expect(stored.version).toBe(1);
  });

  it('gives an enquiry from another system a reference when it is first stored, and keeps it', async () => {
    const first = inAgency('ref-bus', enquiry('nr1', '2019-07-02'));
    const visit = inAgency('ref-bus', initialVisit('nr2', '2019-07-20'));
    const late = inAgency('ref-bus', enquiry('nr2', '2019-07-05'));
    for (const event of [first, first, visit, late, late]) await projectHouseholdEvent(event);
    const stored = await Promise.all(['nr1', 'nr2'].map(async (id) => (await readHouseholdState('ref-bus', id)).state?.enquiry?.reference));
    // Drawn when each enquiry was first stored (a late one too), never again for a redelivery.
    expect(stored).toEqual(['REFBUS-2019-0001', 'REFBUS-2019-0002']);
    // One that brings its own keeps it.
    await projectHouseholdEvent(inAgency('ref-bus', enquiry('nr3', '2019-07-06', { reference: 'CRM-0042' })));
    expect((await readHouseholdState('ref-bus', 'nr3')).state?.enquiry?.reference).toBe('CRM-0042');
  });

  it('passes a referred household on, open at the stage it reached, even when its earlier events arrive after the referral', async () => {
    const [enq, visit, referral] = [
      enquiry('r1', '2019-07-02', { campaignId: 'link' }),
      initialVisit('r1', '2019-07-04'),
      referralOn('r1', '2019-07-09', 'ref-b'),
    ].map((e) => inAgency('ref-a', e));
    for (const e of [referral!, visit!, enq!]) await projectHouseholdEvent(e);
    const { state: received } = await readHouseholdState('ref-b', 'r1');
    expect(received?.enquiry?.campaignId).toBe('link');
    expect(received?.initialVisitAt).toBe('2019-07-04T09:00:00.000Z');
    expect(received?.closures).toEqual([]);
  });

  it('gives the same metrics for any delivery order, any duplicates, and concurrent deliveries', async () => {
    const reference = await (async () => {
      const agencyId = `ref-${runs++}`;
      for (const e of funnelHistory(agencyId)) await projectHouseholdEvent(e);
      return metricsOf(agencyId);
    })();
    expect(reference.conversion.cohort).toEqual({
      enquiries: 3,
      initialVisits: 2,
      assessments: 1,
      approvals: 1,
      approvedBeds: 2,
      open: 1,
      closed: { referred_elsewhere: 1 },
    });

    expect(reference.capacity.map((c) => [c.households, c.approvedBeds, c.occupiedBeds, c.bedsOnHold])).toEqual([
      [2, 5, 2, 3],
      [1, 3, 1, 1],
    ]);
    expect(reference.bedsOnHold[0]!.byReason.map((r) => [r.reason, r.beds])).toEqual([
      ['carer_health', 2],
      ['standards_of_care', 0],
      ['matching', 1],
    ]);

    const length = funnelHistory('x').length;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: length, maxLength: length }),
        fc.array(fc.integer({ min: 0, max: length - 1 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        async (sortKeys, duplicates, concurrency) => {
          const agencyId = `run-${runs++}`;
          const history = funnelHistory(agencyId);
          const deliveries = [
            ...history.map((e, i) => ({ e, k: sortKeys[i]! })),
            ...duplicates.map((i, j) => ({ e: history[i]!, k: sortKeys[(i + j) % length]! + 0.5 })),
          ]
            .sort((x, y) => x.k - y.k)
            .map((d) => d.e);
          for (let i = 0; i < deliveries.length; i += concurrency) {
            await Promise.all(deliveries.slice(i, i + concurrency).map((e) => projectHouseholdEvent(e)));
          }
          expect(await metricsOf(agencyId)).toStrictEqual(reference);
        },
      ),
      { numRuns: 25 },
    );
    // 25 whole histories, each replayed through the store: on a busy 2-core machine over a minute.
  }, 180_000);
});
