// Every window a read takes is bounded: a `from` must come with a `to` (given or defaulted) at most ten
// years later, so no query string can make a read run from 1970 to now. Generated from the routes'
// query schemas: a route that takes a window is checked without a new test.
import type * as z from 'zod';
import { queryStrings } from '../../shared/api/route-schemas';
import { addDays, addYears, todayUtc } from '../../shared/domain/calendar';
import { defaultCountsFrom } from '../../shared/queries/caseload';

const windowed = Object.entries(queryStrings).filter(([, schema]) => {
  const shape = (schema as z.ZodObject).shape ?? (schema as unknown as { def: { in: z.ZodObject } }).def?.in?.shape;
  return shape !== undefined && 'from' in shape;
});

describe('every read with a window', () => {
  it('there are such reads, found from the route table', () => {
    expect(windowed.map(([name]) => name)).toEqual(expect.arrayContaining(['CampaignConversion', 'CaseloadCounts', 'Timeliness', 'Audit']));
  });

  it.each(windowed)('%s refuses a `from` in 1970 that leaves the window open to today', (_name, schema) => {
    const parsed = (schema as z.ZodType).safeParse({ from: '1970-01-01', on: todayUtc(), financialYear: '2019' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues.map((issue) => issue.path.join('.'))).toContain('to');
  });
});

describe('the caseload counts without `from`', () => {
  it('count the ten years up to `to` (or `on`), both ends included: never from 1970', () => {
    expect(defaultCountsFrom('2019-09-30')).toBe('2009-10-01');
    expect(defaultCountsFrom('2024-02-29')).toBe(addDays(addYears('2024-02-29', -10), 1));
  });
});
