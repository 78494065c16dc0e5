// Working days as the recruitment team's targets count them: Monday to Friday except England and Wales bank holidays.
// Pure; the holidays are the checked-in list of bank-holidays.ts.
import { BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR, englandAndWalesBankHolidays } from './bank-holidays';
import { addDays, type IsoDate } from './calendar';

const bankHolidays = new Set(englandAndWalesBankHolidays);

/** Whether the list knows the year's bank holidays; outside it only weekends are days off. */
export function bankHolidaysKnownFor(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4));
  return year >= BANK_HOLIDAYS_FIRST_YEAR && year <= BANK_HOLIDAYS_LAST_YEAR;
}

export function isBankHoliday(date: IsoDate): boolean {
  return bankHolidays.has(date);
}

export function isWorkingDay(date: IsoDate): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !bankHolidays.has(date);
}

/** "N working days after D": N working days counted after D, D itself not counted; N = 0 is D. */
export function addWorkingDays(date: IsoDate, workingDays: number): IsoDate {
  let day = date;
  for (let counted = 0; counted < workingDays;) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

/** The working days after `from` up to and including `to` (0 on the same day, or when `to` is not later). */
export function workingDaysAfter(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}
