// A metric's answer as CSV (docs/api.md), two columns (figure, value), one row per figure, in a layout
// that is the same for every metric and stable from one answer to the next.
import { parse } from 'csv-parse/sync';
import { figuresCsv, flattenFigures, wantsCsv } from '../../shared/api/csv';
import { scopedRoute } from '../../shared/api/figures-route';
import { json, routeHandler } from '../../shared/api/http';

describe('a metric answer flattened to figures', () => {
  it('names each figure by its path, lists by their own key or reason, nulls as empty cells', () => {
    const answer = {
      at: '2019-09-30',
      households: 21,
      primary: { households: 6, beds: 10 },
      byReason: [
        { reason: 'matching', households: 15, beds: 23 },
        { reason: 'carer_health', households: 2, beds: 2 },
      ],
      trend: [{ at: '2019-08-31', households: 200 }],
      medianDaysOnHold: null,
      closed: {},
      atRisk: [],
      ranked: [{ households: 1 }],
    };
    expect(flattenFigures(answer)).toEqual([
      ['at', '2019-09-30'],
      ['households', 21],
      ['primary.households', 6],
      ['primary.beds', 10],
      ['byReason.matching.reason', 'matching'],
      ['byReason.matching.households', 15],
      ['byReason.matching.beds', 23],
      ['byReason.carer_health.reason', 'carer_health'],
      ['byReason.carer_health.households', 2],
      ['byReason.carer_health.beds', 2],
      ['trend.2019-08-31.at', '2019-08-31'],
      ['trend.2019-08-31.households', 200],
      ['medianDaysOnHold', null],
      ['closed', null],
      ['atRisk', null],
      ['ranked.0.households', 1],
    ]);
  });

  it('writes a header and one row per figure that a CSV reader reads back: words for people, the path for machines', () => {
    const text = figuresCsv({
      cohort: { enquiries: 17, closed: { not_suitable: 5, 'not, known': 1 } },
      rates: { visitRate: 0.1176 },
      cost: { spendPence: 450_000, costPerEnquiry: 26_471 },
      timeliness: { enquiryToVisitDays: 12.5 },
      none: null,
    });
    expect(parse(text, { bom: true, columns: true })).toEqual([
      { Figure: 'Cohort — enquiries', Value: '17', Unit: '', Field: 'cohort.enquiries' },
      { Figure: 'Cohort — Closed — Not suitable', Value: '5', Unit: '', Field: 'cohort.closed.not_suitable' },
      { Figure: 'Cohort — Closed — not, known', Value: '1', Unit: '', Field: 'cohort.closed.not, known' },
      { Figure: 'Rates — visit rate', Value: '0.1176', Unit: 'proportion (0 to 1)', Field: 'rates.visitRate' },
      // Money in pounds, the unit named (the JSON's figure is in pence).
      { Figure: 'Cost — spend', Value: '4500.00', Unit: '£', Field: 'cost.spendPence' },
      { Figure: 'Cost — cost per enquiry', Value: '264.71', Unit: '£', Field: 'cost.costPerEnquiry' },
      { Figure: 'Timeliness — enquiry to visit days', Value: '12.5', Unit: 'days', Field: 'timeliness.enquiryToVisitDays' },
      { Figure: 'None', Value: '', Unit: '', Field: 'none' },
    ]);
  });

  it('is asked for with ?format=csv, or Accept: text/csv when no format is named', () => {
    expect(wantsCsv('csv', undefined)).toBe(true);
    expect(wantsCsv('json', 'text/csv')).toBe(false);
    expect(wantsCsv(undefined, 'application/json, text/csv;q=0.9')).toBe(true);
    expect(wantsCsv(undefined, 'application/json')).toBe(false);
    expect(wantsCsv(undefined, undefined)).toBe(false);
  });

  it('is served by every route that declares csv: its handler cannot be made without the CSV writer', () => {
    const answer = async () => json(200, {});
    expect(() => routeHandler('Capacity', answer)).toThrow(/Capacity declares csv/);
    expect(() => scopedRoute('Capacity', answer)).not.toThrow();
    expect(() => routeHandler('GetHousehold', answer)).not.toThrow();
  });
});
