// Which stored households an enquiry may duplicate (docs/rules.md, duplicates), and what a household
// closed as a duplicate passes on: pure, on folded states.
import { earlierHouseholds, isEarlierHousehold } from '../../shared/domain/duplicates';
import { foldHousehold, movedAttribution, type AttributionIn } from '../../shared/domain/household';
import { conversionCountsOf } from '../../shared/domain/campaign-conversion';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { anEvent, approval, assessment, closure, enquiry, initialVisit, resignation } from '../support/funnel-events';

const fold = (id: string, events: HouseholdEvent[], attributionsIn: AttributionIn[] = []) =>
  foldHousehold('agency-a', id, events, [], attributionsIn);
const enquiredAt = '2019-06-03T10:00:00Z';

describe('an earlier household', () => {
  it('is one open at the enquiry, approved carers included', () => {
    expect(isEarlierHousehold(fold('a', [enquiry('a', '2017-01-05')]), enquiredAt)).toBe(true);
    const carer = fold('c', [enquiry('c', '2016-01-05'), assessment('c', '2016-03-01'), approval('c', '2016-09-01')]);
    expect(isEarlierHousehold(carer, enquiredAt)).toBe(true);
  });

  it('is one closed or resigned within the 12 months before the enquiry, and not 13 months before', () => {
    expect(isEarlierHousehold(fold('a', [enquiry('a', '2018-01-05'), closure('a', '2018-06-03', 'no_response')]), enquiredAt)).toBe(true);
    expect(isEarlierHousehold(fold('a', [enquiry('a', '2018-01-05'), closure('a', '2018-05-02', 'no_response')]), enquiredAt)).toBe(false);
    const resignedLongAgo = [enquiry('r', '2010-01-05'), approval('r', '2011-01-05'), resignation('r', '2018-04-30')];
    expect(isEarlierHousehold(fold('r', resignedLongAgo), enquiredAt)).toBe(false);
  });

  it('is judged at the enquiry: a closure after it does not count, a later enquiry is no earlier household', () => {
    expect(isEarlierHousehold(fold('a', [enquiry('a', '2015-01-05'), closure('a', '2019-07-01', 'not_proceeding')]), enquiredAt)).toBe(
      true,
    );
    expect(isEarlierHousehold(fold('a', [enquiry('a', '2019-06-04')]), enquiredAt)).toBe(false);
  });

  it('is never one closed as a duplicate itself', () => {
    const marked = enquiry('d', '2019-05-01', { possibleDuplicateOf: ['a'] });
    expect(isEarlierHousehold(fold('d', [marked, closure('d', '2019-05-02', 'duplicate')]), enquiredAt)).toBe(false);
  });

  it('come earliest enquiry first, without the enquiry itself', () => {
    const states = [
      fold('b', [enquiry('b', '2019-01-01')]),
      fold('a', [enquiry('a', '2018-01-01')]),
      fold('self', [enquiry('self', '2019-06-03')]),
    ];
    expect(earlierHouseholds(states, 'self', enquiredAt)).toEqual(['a', 'b']);
  });
});

describe('closed as a duplicate', () => {
  const marked = enquiry('later', '2019-06-03', { campaignId: 'radio', channel: 'radio', possibleDuplicateOf: ['first', 'second'] });

  it('counts in no figure, and passes its campaign to the first household it was marked a duplicate of', () => {
    const closed = fold('later', [marked, closure('later', '2019-06-05', 'duplicate')]);
    expect(conversionCountsOf(closed)).toEqual([]);
    expect(movedAttribution(closed)).toEqual({
      toHouseholdId: 'first',
      attribution: { fromHouseholdId: 'later', at: '2019-06-05T09:00:00.000Z', campaignId: 'radio' },
    });
  });

  it('passes nothing once a later stage reopens it, or when the mark was cleared', () => {
    expect(
      movedAttribution(fold('later', [marked, closure('later', '2019-06-05', 'duplicate'), initialVisit('later', '2019-06-20')])),
    ).toBeUndefined();
    const cleared = anEvent('PossibleDuplicateCleared', '2019-06-04', { householdId: 'later' });
    expect(fold('later', [marked, cleared]).possibleDuplicateOf).toBeUndefined();
  });

  it('the earlier household takes the campaign only if its own enquiry named none', () => {
    const moved: AttributionIn = { fromHouseholdId: 'later', at: '2019-06-05T09:00:00.000Z', campaignId: 'radio' };
    expect(fold('first', [enquiry('first', '2019-01-01')], [moved]).enquiry).toMatchObject({
      campaignId: 'radio',
      campaignMovedFrom: 'later',
    });
    expect(fold('first', [enquiry('first', '2019-01-01', { campaignId: 'print' })], [moved]).enquiry?.campaignId).toBe('print');
  });
});
