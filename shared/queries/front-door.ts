// What `GET /enquiry-form/screened?from&to` reads: how many posts the front door kept out, by day and
// why (a filled honeypot, too fast for a person, too many), without anything they held.
import * as z from 'zod';
import { CalendarDate, checkWindow } from '../events/catalogue';
import { screenedBetween } from '../store/front-door';

export const ScreenedQuerySchema = z
  .strictObject({
    from: CalendarDate.describe('the first day (UTC) counted'),
    to: CalendarDate.describe('the last day (UTC) counted'),
  })
  .superRefine(checkWindow);
export type ScreenedQuery = z.infer<typeof ScreenedQuerySchema>;

export async function screenedPostsFor(agencyId: string, query: ScreenedQuery) {
  const days = (await screenedBetween(agencyId, query.from, query.to)).map(({ date, honeypot, too_fast, too_many }) => ({
    date,
    honeypot,
    tooFast: too_fast,
    tooMany: too_many,
  }));
  const total = (key: 'honeypot' | 'tooFast' | 'tooMany') => days.reduce((sum, day) => sum + day[key], 0);
  return {
    from: query.from,
    to: query.to,
    total: { honeypot: total('honeypot'), tooFast: total('tooFast'), tooMany: total('tooMany') },
    days,
  };
}
