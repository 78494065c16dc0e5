// Working days (docs/rules.md) are Monday to Friday except England and Wales bank holidays, and "N working
// days after D" counts N working days after D, D itself not counted.
import { addWorkingDays, bankHolidaysKnownFor, isBankHoliday, isWorkingDay, workingDaysAfter } from '../../shared/domain/working-days';
import { BANK_HOLIDAYS_LAST_YEAR, englandAndWalesBankHolidays } from '../../shared/domain/bank-holidays';
import { englandAndWalesBankHolidays as fromThePackage } from '../../tools/bank-holidays';

describe('England and Wales bank holidays', () => {
  it.each([
    ['2019-08-26', 'summer bank holiday'],
    ['2020-05-08', 'VE Day, the early May bank holiday moved'],
    ['2020-12-28', 'Boxing Day substitute (26th a Saturday)'],
    ['2021-12-27', 'Christmas Day substitute'],
    ['2021-12-28', 'Boxing Day substitute'],
    ['2022-01-03', "New Year's Day substitute"],
    ['2022-06-02', 'spring bank holiday, moved for the Platinum Jubilee'],
    ['2022-06-03', 'Platinum Jubilee'],
    ['2022-09-19', "the Queen's state funeral"],
    ['2022-12-27', 'Christmas Day substitute'],
    ['2023-05-08', "the King's coronation"],
    ['2011-04-29', 'royal wedding (missing from the package, added by the generator)'],
    ['2012-06-04', 'spring bank holiday moved for the Diamond Jubilee'],
  ])('%s is a bank holiday (%s)', (date) => {
    expect(isBankHoliday(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each(['2020-05-04', '2022-05-30', '2012-05-28', '2019-08-27'])('%s is an ordinary working day', (date) => {
    expect(isWorkingDay(date)).toBe(true);
  });

  it('is the list the date-holidays package gives (regenerate with `npx tsx tools/bank-holidays.ts` when it changes)', () => {
    expect(englandAndWalesBankHolidays).toEqual(fromThePackage());
  });

  it('covers this year and the next ten: past that, extend LAST_YEAR in tools/bank-holidays.ts and regenerate', () => {
    expect(BANK_HOLIDAYS_LAST_YEAR).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 10);
    expect(bankHolidaysKnownFor('2019-07-01')).toBe(true);
  });
});

describe('N working days after D', () => {
  it('a Friday enquiry before a bank-holiday Monday with N = 1 is due on the Tuesday', () => {
    expect(addWorkingDays('2019-08-23', 1)).toBe('2019-08-27');
  });

  it('skips the weekend: Friday + 1 is Monday, Thursday + 2 is Monday', () => {
    expect(addWorkingDays('2019-07-05', 1)).toBe('2019-07-08');
    expect(addWorkingDays('2019-07-04', 2)).toBe('2019-07-08');
  });

  it('counts from a weekend day as from the Friday before it', () => {
    expect(addWorkingDays('2019-07-06', 1)).toBe('2019-07-08');
    expect(addWorkingDays('2019-07-07', 1)).toBe('2019-07-08');
  });

  it('skips Christmas, Boxing Day and their substitutes (Christmas 2021 on a Saturday)', () => {
    expect(addWorkingDays('2021-12-24', 1)).toBe('2021-12-29');
    expect(addWorkingDays('2019-12-24', 1)).toBe('2019-12-27');
  });

  it('skips both jubilee days of June 2022 and the Easter weekend', () => {
    expect(addWorkingDays('2022-06-01', 1)).toBe('2022-06-06');
    expect(addWorkingDays('2019-04-18', 1)).toBe('2019-04-23');
  });

  it('ten working days after a Monday are the Monday two weeks on', () => {
    expect(addWorkingDays('2019-07-01', 10)).toBe('2019-07-15');
  });

  it('N = 0 is D itself', () => {
    expect(addWorkingDays('2019-07-06', 0)).toBe('2019-07-06');
  });
});

describe('working days between two dates', () => {
  it('is 0 on the same day and over a weekend, 1 from Friday to Monday', () => {
    expect(workingDaysAfter('2019-07-05', '2019-07-05')).toBe(0);
    expect(workingDaysAfter('2019-07-05', '2019-07-07')).toBe(0);
    expect(workingDaysAfter('2019-07-05', '2019-07-08')).toBe(1);
  });

  it('leaves the bank holiday out: Friday 23 August 2019 to Tuesday 27th is 1', () => {
    expect(workingDaysAfter('2019-08-23', '2019-08-27')).toBe(1);
  });

  it('agrees with addWorkingDays', () => {
    for (const n of [1, 2, 5, 10, 23]) expect(workingDaysAfter('2022-05-27', addWorkingDays('2022-05-27', n))).toBe(n);
  });
});
