// The resignation forecast (SPEC §5.4): households lost so far this financial year, how many more
// to expect by 31 March with the range the true number will likely fall in, and who is at risk.
import type { AtRiskHousehold, ResignationForecast } from '../../../shared/domain/resignation-forecast';
import { financialYearOf } from '../../../shared/domain/calendar';
import { colours, draw } from '../charts';
import { field, h, select } from '../dom';
import { count, date, percent, plural, todayUtc } from '../format';
import { chartBox, controls, figures, glossary, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';
import { resignationReasonWords, wordFor } from '../words';

/** FY y runs 1 April y to 31 March y+1. */
const yearName = (y: number): string => `${y}–${String((y + 1) % 100).padStart(2, '0')}`;

export function forecastPanel(context: PanelContext): Panel {
  const { element, body } = panelShell('forecast', 'Resignation forecast',
    'How many approved households we may lose this financial year, the range to plan for, and the carers most likely to drift away.');
  const current = financialYearOf(todayUtc());
  const year = select('financialYear', [0, 1, 2, 3].map((back) => [String(current - back), yearName(current - back)] as const), String(current));
  const asOf = h('input', { type: 'date', name: 'asOf' });
  const results = h('div', { class: 'results' });
  const load = () => loadInto(results, async () => {
    const forecast = await context.api.get<ResignationForecast>('/metrics/resignation-forecast', { financialYear: year.value, asOf: asOf.value });
    return render(forecast, context);
  });
  body.append(controls('Forecast year', [
    field('Financial year', year),
    field('As of', asOf, 'Empty: today (or the year\'s last day)'),
  ], () => void load()), results);
  return { id: 'forecast', title: 'Forecast', element, show: load };
}

function render(forecast: ResignationForecast, context: PanelContext): Array<Node | null> {
  const headline = figures([
    { field: 'resignedToDate', label: 'Resigned so far', value: forecast.resignedToDate, text: count(forecast.resignedToDate), hint: `1 April to ${date(forecast.asOf)}` },
    { field: 'anticipated.expected', label: 'Flagged as likely to go', value: forecast.anticipated.expected, text: String(forecast.anticipated.expected), hint: `${plural(forecast.anticipated.households, 'household')}, at their likelihood` },
    { field: 'baseline.expected', label: 'Expected from the others', value: forecast.baseline.expected, text: String(forecast.baseline.expected), hint: `${plural(forecast.baseline.households, 'household')}, ${percent(forecast.baseline.probability, 1)} chance each` },
    { field: 'expectedYearEnd', label: 'Expected by 31 March', value: forecast.expectedYearEnd, text: String(forecast.expectedYearEnd), hint: `likely between ${forecast.low} and ${forecast.high}`, emphasis: true },
    { field: 'benchmark', label: 'An average year', value: forecast.benchmark, text: String(forecast.benchmark), hint: `${percent(forecast.attritionRate)} of carers at 1 April · ${forecast.belowBenchmark ? 'we expect fewer' : 'we expect as many or more'}` },
  ], 'Resignations');

  const { element: chartElement, canvas } = chartBox('Resignations by 31 March',
    `Expected ${forecast.expectedYearEnd}: ${forecast.resignedToDate} so far, ${forecast.anticipated.expected} flagged, ${forecast.baseline.expected} from the others; `
    + `8 times in 10 between ${forecast.low} and ${forecast.high}; an average year ${forecast.benchmark}.`, 200);
  const rows = ['Expected', 'Likely range (8 in 10)', 'Average year'];
  draw(canvas, {
    type: 'bar',
    data: {
      labels: rows,
      datasets: [
        { label: 'Resigned so far', data: [forecast.resignedToDate, null, null], backgroundColor: colours.slate, stack: 'figures' },
        { label: 'Flagged', data: [forecast.anticipated.expected, null, null], backgroundColor: colours.rose, stack: 'figures' },
        { label: 'Others (baseline)', data: [forecast.baseline.expected, null, null], backgroundColor: colours.amber, stack: 'figures' },
        // A floating bar from the 10th to the 90th percentile.
        { label: 'Likely range', data: [null, [forecast.low, forecast.high], null], backgroundColor: colours.violet, stack: 'figures' },
        { label: 'Benchmark', data: [null, null, forecast.benchmark], backgroundColor: colours.teal, stack: 'figures' },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { position: 'top', align: 'start' } },
      scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: 'households' } }, y: { stacked: true } },
    },
  });

  const reasons = Object.entries(forecast.resignedByReason).filter(([, n]) => (n ?? 0) > 0);
  const atRisk = table<AtRiskHousehold>('At risk: no child for a year, or never used six months after approval', [
    { heading: 'Household', cell: (r) => h('button', { type: 'button', class: 'link', 'aria-label': `Open household ${r.householdId}`, onclick: () => context.openHousehold(r.householdId) }, shortId(r.householdId)) },
    { heading: 'Days without a child', field: 'daysIdle', numeric: true, cell: (r) => count(r.daysIdle) },
    { heading: 'Ever used', cell: (r) => (r.neverPlaced ? 'Never' : 'Yes') },
  ], forecast.atRisk.slice(0, 8), { rowKey: (r) => r.householdId, empty: 'no household is idle that long.' });

  return [
    headline,
    h('div', { class: 'columns' },
      chartElement,
      h('div', { class: 'side' },
        table('Resigned so far, by reason', [
          { heading: 'Reason', cell: ([reason]) => wordFor(resignationReasonWords, reason) },
          { heading: 'Households', numeric: true, cell: ([, n]) => count(n) },
        ], reasons, { rowKey: ([reason]) => reason, empty: 'none this year.' }))),
    atRisk,
    forecast.atRisk.length > 8 ? h('p', { class: 'hint' }, `and ${forecast.atRisk.length - 8} more.`) : null,
    glossary([
      ['resignedToDate', 'Households that resigned between 1 April and the date (asOf).'],
      ['anticipated', 'Households flagged as likely to resign, each counted at its likelihood (0–1).'],
      ['baseline', 'Every other approved household, given the same chance of resigning before 31 March from the agency\'s yearly attrition rate.'],
      ['expectedYearEnd, low, high', 'Resigned so far + flagged + the others\' expected number; low–high is the range the true number falls in 8 times out of 10 (10th to 90th percentile), worked out exactly.'],
      ['benchmark', 'The attrition rate × the households approved on 1 April: what an average year would cost.'],
      ['atRisk', 'Approved households with no child placed for 365 days or more, or never used 180 days after approval, most idle first.'],
    ]),
  ];
}

const shortId = (id: string): string => (id.length > 13 ? `${id.slice(0, 8)}…` : id);
