// Dates as the metrics count them: UTC calendar dates, and FY y = 1 April y – 31 March y+1.
import { CalendarDate } from '../../shared/events/catalogue';
import {
  addYears,
  daysBetween,
  financialYearBounds,
  financialYearOf,
  isCalendarDate,
  lastCompleteFinancialYear,
} from '../../shared/domain/calendar';

describe('financial years', () => {
  it('run from 1 April to 31 March', () => {
    expect(financialYearBounds(2019)).toEqual({ start: '2019-04-01', end: '2020-03-31' });
    expect(financialYearOf('2019-04-01')).toBe(2019);
    expect(financialYearOf('2020-03-31')).toBe(2019);
    expect(financialYearOf('2019-03-31')).toBe(2018);
  });

  it('the last complete one has ended by the end of the date: 31 March completes its year', () => {
    expect(lastCompleteFinancialYear('2020-03-31')).toBe(2019);
    expect(lastCompleteFinancialYear('2020-03-30')).toBe(2018);
    expect(lastCompleteFinancialYear('2020-04-01')).toBe(2019);
  });
});

describe('calendar dates', () => {
  it('are real dates written YYYY-MM-DD', () => {
    expect(isCalendarDate('2019-02-28')).toBe(true);
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2019-02-29')).toBe(false);
    expect(isCalendarDate('2019-02-31')).toBe(false);
    expect(isCalendarDate('31/02/2019')).toBe(false);
  });

  it('count whole days between UTC dates, and a year on from 29 February is 28 February', () => {
    expect(daysBetween('2019-09-30', '2020-03-31')).toBe(183);
    expect(addYears('2020-02-29', 1)).toBe('2021-02-28');
  });
});

describe('a date a caller sends (CalendarDate)', () => {
  it('gets one message for each bad date: its form, or else its range', () => {
    const messages = (text: string) => CalendarDate.safeParse(text).error?.issues.map((issue) => issue.message);
    expect(messages('not-a-date')).toEqual(['a date written YYYY-MM-DD, such as 2019-09-30']);
    expect(messages('2019-02-31')).toEqual(['a date written YYYY-MM-DD, such as 2019-09-30']);
    expect(messages('1969-12-31')).toEqual(['a date from 1970-01-01 to 2100-12-31']);
    expect(messages('2019-09-30')).toBeUndefined();
  });
});
