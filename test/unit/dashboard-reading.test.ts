// How the dashboard says its figures so that a manager trusts them at a glance (the rules of
// dashboard/src/reading.ts, pure): expected counts as people say them, stale children-in-care
// counts, the funnel's default window and a cohort too young to judge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cohortMaturity,
  expectedCount,
  expectedWithRange,
  financialYearBounds,
  isStaleCount,
  lastCompleteFinancialYear,
  monthsBefore,
} from '../../dashboard/src/reading';
import { campaignList } from '../../shared/domain/campaigns';
import { interestInWords, interestWords, knownInterests } from '../../shared/events/vocabulary';

describe('expected counts, as people say them', () => {
  it.each([
    [39.5, 'about 40'],
    [33.4, 'about 33'],
    [17.6, 'about 18'],
    [1, 'about 1'],
    [0.5, 'about 1'],
    [0.1, 'less than 1'],
    [0, 'none'],
    [1234.4, 'about 1,234'],
  ])('%p is "%s"', (x, words) => expect(expectedCount(x)).toBe(words));

  it('gives the range beside the expected count', () => {
    expect(expectedWithRange(33.2, 28, 38)).toBe('about 33 (likely 28 to 38)');
    expect(expectedWithRange(2, 2, 2)).toBe('about 2 (likely 2)');
  });
});

describe('a children-in-care count older than two months is stale where it is used', () => {
  it("counts calendar months back, a missing day becoming the month's last", () => {
    expect(monthsBefore('2026-12-01', 2)).toBe('2026-10-01');
    expect(monthsBefore('2026-04-30', 2)).toBe('2026-02-28');
    expect(monthsBefore('2026-01-15', 2)).toBe('2025-11-15');
  });

  it('is stale from the day after two months', () => {
    expect(isStaleCount('2026-10-01T09:00:00.000Z', '2026-12-01')).toBe(false);
    expect(isStaleCount('2026-09-30T23:00:00.000Z', '2026-12-01')).toBe(true);
    expect(isStaleCount(null, '2026-12-01')).toBe(false);
  });
});

describe("the funnel's window and its cohort", () => {
  it('defaults to the last complete financial year', () => {
    expect(financialYearBounds(lastCompleteFinancialYear('2026-12-01'))).toEqual({ start: '2025-04-01', end: '2026-03-31' });
    expect(financialYearBounds(lastCompleteFinancialYear('2026-03-30'))).toEqual({ start: '2024-04-01', end: '2025-03-31' });
    expect(financialYearBounds(lastCompleteFinancialYear('2026-04-01'))).toEqual({ start: '2025-04-01', end: '2026-03-31' });
  });

  it('calls a cohort young while most of it enquired less than an assessment (240 days) ago', () => {
    // The last twelve months: its midpoint six months back.
    expect(cohortMaturity({ from: '2025-12-02', to: '2026-12-01' }, '2026-12-01', 40)).toBe('young');
    // The last complete year, eight months on: its midpoint is 14 months back, its end 8 months.
    expect(cohortMaturity({ from: '2025-04-01', to: '2026-03-31' }, '2026-12-01', 3)).toBe('maturing');
    expect(cohortMaturity({ from: '2025-04-01', to: '2026-03-31' }, '2026-04-15', 30)).toBe('young');
    expect(cohortMaturity({ from: '2023-04-01', to: '2024-03-31' }, '2026-12-01', 0)).toBe('settled');
    // Still open households keep even an old cohort "so far".
    expect(cohortMaturity({ from: '2023-04-01', to: '2024-03-31' }, '2026-12-01', 1)).toBe('maturing');
  });
});

describe('one vocabulary of interests', () => {
  it('words every interest the dashboard offers and the demo sends', () => {
    expect(knownInterests).toEqual(
      expect.arrayContaining(['teenagers', 'siblings', 'short_breaks', 'supported_lodgings', 'parent_and_child']),
    );
    expect(knownInterests).not.toContain('sibling_groups');
    for (const interest of knownInterests) expect(interestInWords(interest)).toBe(interestWords[interest]);
  });

  it('words a slug another system sent from the slug itself, never showing it raw', () => {
    expect(interestInWords('foster_to_adopt')).toBe('Foster to adopt');
  });
});

describe('campaigns by name', () => {
  const launch = (campaignId: string, agencyId: string, startsOn: string, name: string) => ({
    eventId: `e-${campaignId}-${agencyId}`,
    agencyId,
    occurredAt: `${startsOn}T09:00:00Z`,
    campaignId,
    name,
    channels: ['facebook' as const],
    startsOn,
    agencyIds: [agencyId],
  });

  it('lists each campaign once, newest first, a shared one under its launcher', () => {
    const shared = { ...launch('fortnight', 'cambs', '2019-05-13', 'Fostering Fortnight'), agencyIds: ['cambs', 'peterborough'] };
    const list = campaignList([
      launch('link', 'cambs', '2019-07-01', 'Link carers'),
      shared,
      shared,
      { ...launch('ny', 'peterborough', '2020-01-02', 'New Year New You'), budgetPence: 500_000 },
    ]);
    expect(list.map((c) => [c.campaignId, c.name, c.launchedBy])).toEqual([
      ['ny', 'New Year New You', 'peterborough'],
      ['link', 'Link carers', 'cambs'],
      ['fortnight', 'Fostering Fortnight', 'cambs'],
    ]);
    expect(list[0]).toMatchObject({ budgetPence: 500_000, endsOn: null });
    expect(list[2]!.agencyIds).toEqual(['cambs', 'peterborough']);
  });
});

describe('the docs word the interests as the shared list does', () => {
  it('lists every known interest with its words in docs/api.md, and no other', () => {
    const doc = readFileSync(join(__dirname, '../../docs/api.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \|$/gm)].map((m) => [m[1], m[2]!.trim()]);
    expect(rows).toEqual(Object.entries(interestWords));
  });
});
