// The resignation forecast (docs/metrics.md): households lost so far this financial year, how many more
// to expect by 31 March with the range the true number will likely fall in, and who is at risk.
import type { AtRiskHousehold, ResignationForecast } from '../../../shared/domain/resignation-forecast';
import { financialYearOf } from '../../../shared/domain/calendar';
import { colours, draw } from '../charts';
import { field, h, select } from '../dom';
import { count, date, percent, plural, todayUtc } from '../format';
import { expectedCount, financialYearName as yearName } from '../reading';
import { chartBox, controls, figures, glossary, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';
import { resignationReasonWords, wordFor } from '../../../shared/words';

/** A region's answer names no household: its at-risk entries carry only their figures. */
type AtRiskEntry = Omit<AtRiskHousehold, 'householdId' | 'reference'> & { householdId?: string; reference?: string | null };
type ForecastAnswer = Omit<ResignationForecast, 'atRisk'> & { atRisk: AtRiskEntry[] };

export function forecastPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'forecast',
    'Resignation forecast',
    'How many approved households we may lose this financial year, the range to plan for, and the carers most likely to drift away.',
  );
  const current = financialYearOf(todayUtc());
  const year = select(
    'financialYear',
    [0, 1, 2, 3].map((back) => [String(current - back), yearName(current - back)] as const),
    String(current),
  );
  const asOf = h('input', { type: 'date', name: 'asOf' });
  const results = h('div', { class: 'results' });
  const load = () =>
    loadInto(results, async () => {
      const forecast = await context.api.get<ForecastAnswer>('/metrics/resignation-forecast', {
        financialYear: year.value,
        asOf: asOf.value,
      });
      return render(forecast, context);
    });
  body.append(
    controls(
      'Forecast year',
      [field('Financial year', year), field('As of', asOf, "Empty: today (or the year's last day)")],
      () => void load(),
    ),
    results,
  );
  return { id: 'forecast', title: 'Forecast', element, show: load };
}

function render(forecast: ForecastAnswer, context: PanelContext): Array<Node | null> {
  const headline = figures(
    [
      {
        field: 'resignedToDate',
        label: 'Resigned so far',
        value: forecast.resignedToDate,
        text: count(forecast.resignedToDate),
        hint: `1 April to ${date(forecast.asOf)}`,
      },
      {
        field: 'anticipated.expected',
        label: 'Flagged as likely to go',
        value: forecast.anticipated.expected,
        text: expectedCount(forecast.anticipated.expected),
        hint: `${plural(forecast.anticipated.households, 'household')} flagged, at their likelihood`,
      },
      {
        field: 'baseline.expected',
        label: 'Expected from the others',
        value: forecast.baseline.expected,
        text: expectedCount(forecast.baseline.expected),
        hint: `of ${plural(forecast.baseline.households, 'household')}, ${percent(forecast.baseline.probability, 1)} chance each`,
      },
      {
        field: 'expectedYearEnd',
        label: 'Expected by 31 March',
        value: forecast.expectedYearEnd,
        text: expectedCount(forecast.expectedYearEnd),
        hint:
          forecast.low === forecast.high ? `likely ${forecast.low}` : `likely between ${forecast.low} and ${forecast.high} (8 times in 10)`,
        emphasis: true,
      },
      {
        field: 'benchmark',
        label: 'In an average year',
        value: forecast.benchmark,
        text: expectedCount(forecast.benchmark),
        hint: `${percent(forecast.attritionRate)} of the carers at 1 April · ${forecast.belowBenchmark ? 'we expect fewer' : 'we expect as many or more'}`,
      },
    ],
    'Resignations',
  );

  const { element: chartElement, canvas } = chartBox(
    'Resignations by 31 March',
    `Expected ${expectedCount(forecast.expectedYearEnd)}: ${forecast.resignedToDate} so far, ${expectedCount(forecast.anticipated.expected)} flagged, ${expectedCount(forecast.baseline.expected)} from the others; ` +
      `8 times in 10 between ${forecast.low} and ${forecast.high}; in an average year ${expectedCount(forecast.benchmark)}.`,
    200,
  );
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
      scales: {
        x: { stacked: true, beginAtZero: true, title: { display: true, text: 'households' } },
        y: { stacked: true, ticks: { autoSkip: false } },
      },
    },
  });

  const reasons = Object.entries(forecast.resignedByReason).filter(([, n]) => (n ?? 0) > 0);
  const named = forecast.atRisk.every((r) => r.householdId !== undefined);
  const atRisk = table<AtRiskEntry>(
    'At risk: no child for a year, or never used six months after approval',
    [
      ...(named ? [{ heading: 'Household', cell: (r: AtRiskEntry) => householdLink(r.householdId!, r.reference ?? null, context) }] : []),
      { heading: 'Days without a child', field: 'daysIdle', numeric: true, cell: (r) => count(r.daysIdle) },
      { heading: 'Ever used', cell: (r) => (r.neverPlaced ? 'Never' : 'Yes') },
    ],
    forecast.atRisk.slice(0, 8),
    { rowKey: (r) => r.householdId ?? '', empty: 'no household is idle that long.' },
  );

  return [
    headline,
    h(
      'div',
      { class: 'columns' },
      chartElement,
      h(
        'div',
        { class: 'side' },
        table(
          'Resigned so far, by reason',
          [
            { heading: 'Reason', cell: ([reason]) => wordFor(resignationReasonWords, reason) },
            { heading: 'Households', numeric: true, cell: ([, n]) => count(n) },
          ],
          reasons,
          { rowKey: ([reason]) => reason, empty: 'none this year.' },
        ),
      ),
    ),
    atRisk,
    named ? null : h('p', { class: 'hint' }, "A region's figures name no household: each agency sees its own at-risk carers."),
    forecast.atRisk.length > 8 ? h('p', { class: 'hint' }, `and ${forecast.atRisk.length - 8} more.`) : null,
    glossary([
      ['resignedToDate', 'Households that resigned between 1 April and the date (asOf).'],
      ['anticipated', 'Households flagged as likely to resign, each counted at its likelihood (0–1).'],
      [
        'baseline',
        "Every other approved household, given the same chance of resigning before 31 March from the agency's yearly attrition rate.",
      ],
      [
        'expectedYearEnd, low, high',
        "Resigned so far + flagged + the others' expected number; low–high is the range the true number falls in 8 times out of 10 (10th to 90th percentile), worked out exactly.",
      ],
      ['benchmark', 'The attrition rate × the households approved on 1 April: what an average year would cost.'],
      ['atRisk', 'Approved households with no child placed for 365 days or more, or never used 180 days after approval, most idle first.'],
    ]),
  ];
}

const shortId = (id: string): string => (id.length > 13 ? `${id.slice(0, 8)}…` : id);
/** By its reference, as staff say it; a household from another system without one, by a short id. */
const householdLink = (householdId: string, reference: string | null, context: PanelContext): HTMLElement =>
  h(
    'button',
    {
      type: 'button',
      class: 'link',
      'aria-label': `Open household ${reference ?? householdId}`,
      onclick: () => context.openHousehold(householdId),
    },
    reference ?? shortId(householdId),
  );
