// The access pattern of the capacity queries (docs/benchmark.md, access patterns): a question about one date
// reads the households approved at that date and those approved since, never the agency's history
// of enquiries or of carers who resigned before it.
import { projectHouseholdEvent } from '../../shared/projections/household';
import { bedsOnHoldFor, capacityFor } from '../../shared/queries/capacity';
import { ReadTally } from '../../shared/store/query-pages';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import {
  approval,
  approvalChange,
  assessment,
  closure,
  contactAttempt,
  enquiry,
  holdStart,
  initialVisit,
  milestone,
  placementStart,
  resignation,
  riskFlag,
} from '../support/funnel-events';
import { carerRecordFields } from '../../shared/domain/household';
import { capacity } from '../../shared/domain/capacity';
import { carersByIndex, getHouseholdStates } from '../../shared/store/households';
import { indexShards, OPEN_END } from '../../shared/store/tables';
import { useFreshTables } from '../support/tables';

const agencyId = 'agency-reads';
const inAgency = (event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const history = {
  /** Ten years of enquiries that never became carers. */
  neverApproved: range(60, 'enq-'),
  /** Carers approved and resigned long before the date asked about. */
  resignedBefore: range(40, 'old-'),
  /** Carers approved at 30 September 2019. */
  approvedAtDate: range(12, 'carer-'),
  /** Carers approved after it. */
  approvedAfter: range(4, 'new-'),
};

beforeAll(async () => {
  await useFreshTables();
  const events: HouseholdEvent[] = [
    ...history.neverApproved.flatMap((h, i) => [
      enquiry(h, `${2010 + (i % 10)}-05-0${1 + (i % 9)}`),
      closure(h, `${2010 + (i % 10)}-06-01`, 'not_proceeding'),
    ]),
    ...history.resignedBefore.flatMap((h, i) => [approval(h, `${2009 + (i % 5)}-03-01`, 2), resignation(h, `${2015 + (i % 4)}-01-01`)]),
    ...history.approvedAtDate.flatMap((h, i) => [
      approval(h, '2016-03-01', 2),
      placementStart(h, `${h}-child`, '2019-01-01'),
      ...(i < 3 ? [holdStart(h, `${h}-hold`, '2019-08-01', 'matching')] : []),
    ]),
    ...history.approvedAfter.map((h) => approval(h, '2019-11-01', 1)),
  ];
  for (const event of events) await projectHouseholdEvent(inAgency(event));
}, 60_000);

describe('reads for one date (capacity, beds on hold)', () => {
  it('reads only the households approved at the date and those approved since', async () => {
    const tally = new ReadTally();
    const result = await capacityFor(agencyId, '2019-09-30', tally);
    expect(result).toMatchObject({ households: 12, approvedBeds: 24, occupiedBeds: 12, bedsOnHold: 3 });
    // Each household found twice: its key in the index (keys only), then its state item by key.
    expect(tally.itemsRead).toBe(2 * (history.approvedAtDate.length + history.approvedAfter.length));
    expect(tally.requests).toBe(indexShards.household + 1); // one Query a shard of the index, one BatchGetItem
  });

  it('reads exactly the approved households for today: history costs nothing', async () => {
    const tally = new ReadTally();
    await bedsOnHoldFor(agencyId, new Date().toISOString().slice(0, 10), tally);
    expect(tally.itemsRead).toBe(2 * (history.approvedAtDate.length + history.approvedAfter.length));
  });

  it('for a date in the past, adds the carers approved then who resigned later, and no enquiry', async () => {
    const tally = new ReadTally();
    const result = await capacityFor(agencyId, '2014-06-30', tally);
    expect(result.households).toBe(history.resignedBefore.length);
    const approvedSince = history.approvedAtDate.length + history.approvedAfter.length;
    expect(tally.itemsRead).toBe(2 * (history.resignedBefore.length + approvedSince));
  });
});

describe('what a question about carers reads of each (capacity, beds on hold, the sufficiency trend)', () => {
  const recruitingAgency = 'agency-carer-record';
  const carer = 'carer-recruited-here';

  beforeAll(async () => {
    const events: HouseholdEvent[] = [
      enquiry(carer, '2018-01-10', { campaignId: 'spring-2018' }),
      contactAttempt(carer, '2018-01-11', 'reached'),
      initialVisit(carer, '2018-02-01'),
      assessment(carer, '2018-03-01', 2),
      milestone(carer, '2018-04-01', 'stage_one_completed'),
      approval(carer, '2018-09-01', 2),
      approvalChange(carer, '2019-02-01', 3),
      placementStart(carer, `${carer}-child`, '2019-03-01'),
      holdStart(carer, `${carer}-hold`, '2019-06-01', 'matching', 1),
      riskFlag(carer, '2019-07-01'),
    ];
    for (const event of events)
      await projectHouseholdEvent({ ...event, detail: { ...event.detail, agencyId: recruitingAgency } } as HouseholdEvent);
  });

  it('reads its approval, placements, holds and closures, and not its recruitment record', async () => {
    const [whole] = await getHouseholdStates(recruitingAgency, [carer]);
    const [record] = await carersByIndex(recruitingAgency, { index: 'byApprovalEnd', from: '2019-09-30T23:59:59.999Z', to: OPEN_END });
    const carerPart = Object.fromEntries(
      Object.entries(whole!).filter(([field]) => (carerRecordFields as readonly string[]).includes(field)),
    );
    expect(record).toEqual(carerPart);
    expect(record).not.toHaveProperty('enquiry');
    expect(record).not.toHaveProperty('contactAttempts');
    expect(record).not.toHaveProperty('milestones');
    // The figures are the whole state's.
    expect(await capacityFor(recruitingAgency, '2019-09-30')).toEqual(capacity('2019-09-30', [whole!]));
  });
});
