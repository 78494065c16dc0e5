import { foldHousehold } from '../../shared/domain/household';
import { DEFAULT_RETENTION_DAYS, dueForErasure, retentionCutoff, retentionDaysFrom, retentionEndsAt } from '../../shared/domain/retention';
import { approval, closure, enquiry, initialVisit, resignation } from '../support/funnel-events';

const fold = (...events: Parameters<typeof foldHousehold>[2]) => ({ household: foldHousehold('agency-a', 'h1', events) });
const TWO_YEARS = 730;

describe('when contact details fall due for erasure (default: two years)', () => {
  it('the default retention period is 730 days', () => {
    expect(DEFAULT_RETENTION_DAYS).toBe(730);
  });

  it('a closed enquiry: the retention period after its closure', () => {
    const closed = fold(enquiry('h1', '2020-01-10'), closure('h1', '2020-02-01', 'not_proceeding'));
    // 730 days, not two calendar years: 2020 had a 29 February.
    expect(retentionEndsAt(closed, TWO_YEARS)).toBe('2022-01-31T09:00:00.000Z');
    expect(dueForErasure(closed, '2022-01-31T08:59:59.999Z', TWO_YEARS)).toBeUndefined();
    expect(dueForErasure(closed, '2022-01-31T09:00:00.000Z', TWO_YEARS)).toBe('closed');
  });

  it('an open enquiry: kept, however old', () => {
    const open = fold(enquiry('h1', '2010-01-10'));
    expect(retentionEndsAt(open, TWO_YEARS)).toBeUndefined();
    expect(dueForErasure(open, '2030-01-01T00:00:00.000Z', TWO_YEARS)).toBeUndefined();
  });

  it('a household reopened after its closure is open again: kept', () => {
    const reopened = fold(enquiry('h1', '2019-01-10'), closure('h1', '2019-02-01', 'no_response'), initialVisit('h1', '2019-05-01'));
    expect(dueForErasure(reopened, '2030-01-01T00:00:00.000Z', TWO_YEARS)).toBeUndefined();
  });

  it('a household closed again after reopening: the period runs from the closure in force', () => {
    const closedAgain = fold(
      enquiry('h1', '2019-01-10'),
      closure('h1', '2019-02-01', 'no_response'),
      initialVisit('h1', '2019-05-01'),
      closure('h1', '2021-03-01', 'not_proceeding'),
    );
    expect(retentionEndsAt(closedAgain, TWO_YEARS)).toBe('2023-03-01T09:00:00.000Z');
  });

  it('an approved carer: kept while approved, even after a closure recorded before the approval', () => {
    const carer = fold(enquiry('h1', '2012-01-10'), closure('h1', '2012-02-01', 'no_response'), approval('h1', '2013-06-01'));
    expect(dueForErasure(carer, '2030-01-01T00:00:00.000Z', TWO_YEARS)).toBeUndefined();
  });

  it('a carer who resigned: the retention period after the resignation', () => {
    const resigned = fold(approval('h1', '2015-06-01'), resignation('h1', '2021-04-30'));
    expect(retentionEndsAt(resigned, TWO_YEARS)).toBe('2023-04-30T09:00:00.000Z');
    expect(dueForErasure(resigned, '2023-04-30T09:00:00.000Z', TWO_YEARS)).toBe('resigned');
  });

  it('details whose enquiry was never recorded: the retention period after they were taken', () => {
    const orphan = { household: undefined, contactRecordedAt: '2021-01-01T12:00:00.000Z' };
    expect(dueForErasure(orphan, '2023-01-01T12:00:00.000Z', TWO_YEARS)).toBe('orphaned');
    expect(dueForErasure(orphan, '2023-01-01T11:59:59.999Z', TWO_YEARS)).toBeUndefined();
  });

  it('follows the configured period', () => {
    const closed = fold(enquiry('h1', '2020-01-10'), closure('h1', '2020-02-01', 'not_proceeding'));
    expect(dueForErasure(closed, '2020-03-02T09:00:00.000Z', 30)).toBe('closed');
    expect(dueForErasure(closed, '2020-03-02T09:00:00.000Z', 31)).toBeUndefined();
  });

  it('the cutoff is the latest closure or resignation instant that is due', () => {
    const at = '2024-06-30T02:30:00.000Z';
    const cutoff = retentionCutoff(at, TWO_YEARS);
    expect(cutoff).toBe('2022-07-01T02:30:00.000Z');
    expect(dueForErasure(fold(enquiry('h1', '2022-01-01'), closure('h1', cutoff, 'other')), at, TWO_YEARS)).toBe('closed');
    const aMomentLater = new Date(Date.parse(cutoff) + 1).toISOString();
    expect(dueForErasure(fold(enquiry('h1', '2022-01-01'), closure('h1', aMomentLater, 'other')), at, TWO_YEARS)).toBeUndefined();
  });
});

describe('RETENTION_DAYS', () => {
  it('defaults to 730 when unset or empty', () => {
    expect(retentionDaysFrom(undefined)).toBe(730);
    expect(retentionDaysFrom('')).toBe(730);
  });

  it('takes a whole number of days, as text (env var) or number (CDK context)', () => {
    expect(retentionDaysFrom('365')).toBe(365);
    expect(retentionDaysFrom(2555)).toBe(2555);
  });

  it.each(['0', '-5', '1.5', 'two years', '730d'])('refuses %p rather than erase by a mistyped period', (raw) => {
    expect(() => retentionDaysFrom(raw)).toThrow(/RETENTION_DAYS must be a whole number of days/);
  });
});
