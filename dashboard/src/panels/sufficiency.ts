// Sufficiency (docs/metrics.md): in-house capacity against the children in care, the beds still to
// recruit to reach the target share, the recruitment pipeline, and the last twelve months.
import type { PipelineForecast } from '../../../shared/domain/resignation-forecast';
import type { Sufficiency } from '../../../shared/domain/sufficiency';
import { colours, draw } from '../charts';
import { field, h } from '../dom';
import { count, date, percent, plural, todayUtc } from '../format';
import { expectedCount, isStaleCount } from '../reading';
import { chartBox, controls, figures, glossary, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';
import { interestInWords } from '../../../shared/words';

type SufficiencyReport = Sufficiency<PipelineForecast>;
const monthYear = new Intl.DateTimeFormat('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });

export function sufficiencyPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'sufficiency',
    'Sufficiency',
    "Are there enough in-house foster placements for the children we look after? The latest children-in-care count against our carers' capacity.",
  );
  const at = h('input', { type: 'date', name: 'at', value: todayUtc(), required: true });
  const target = h('input', {
    type: 'number',
    name: 'targetInHouseShare',
    min: 0,
    max: 100,
    step: 1,
    inputmode: 'numeric',
    placeholder: 'agency setting',
  });
  const results = h('div', { class: 'results' });
  const load = () =>
    loadInto(results, async () => {
      const report = await context.api.get<SufficiencyReport>('/metrics/sufficiency', {
        at: at.value,
        targetInHouseShare: target.value === '' ? undefined : Number(target.value) / 100,
      });
      return render(report, at.value);
    });
  body.append(
    controls(
      'Sufficiency date and target',
      [field('Figures at', at), field('Target in-house share (%)', target, "Empty: the agency's setting")],
      () => void load(),
    ),
    results,
  );
  return { id: 'sufficiency', title: 'Sufficiency', element, show: load };
}

function render(report: SufficiencyReport, at: string): Array<Node | null> {
  const stale = isStaleCount(report.childrenInCareRecordedAt, at);
  const counted = report.childrenInCareRecordedAt
    ? `count of ${date(report.childrenInCareRecordedAt)}${stale ? ' — out of date' : ''}`
    : 'no count recorded yet';
  const toBringInHouse = report.childrenBelowTarget;
  const headline = figures(
    [
      {
        field: 'childrenInCare',
        label: 'Children in care',
        value: report.childrenInCare,
        text: count(report.childrenInCare),
        hint: counted,
      },
      {
        field: 'fosteredChildren',
        label: 'Children fostered',
        value: report.fosteredChildren,
        text: count(report.fosteredChildren),
        hint: `${count(report.fosteredAgency)} with independent agencies`,
      },
      {
        field: 'inHouseShare',
        label: 'Fostered in house',
        value: report.inHouseShare,
        text: percent(report.inHouseShare, 1),
        hint: `${plural(report.fosteredInHouse, 'child', 'children')} · target ${percent(report.targetInHouseShare)}`,
      },
      {
        field: 'availableBeds',
        label: 'Available beds',
        value: report.availableBeds,
        text: count(report.availableBeds),
        hint: 'free for a child today',
      },
      // Two steps, so a share below target never sits beside "0 needed" unexplained: the children
      // to bring in house, then what the free beds cannot take of them.
      {
        field: 'childrenBelowTarget',
        label: 'Children to foster in house',
        value: toBringInHouse,
        text: count(toBringInHouse),
        hint:
          toBringInHouse === null
            ? 'needs a children-in-care count'
            : `more than today to reach ${percent(report.targetInHouseShare)}; free beds could take ${count(Math.min(toBringInHouse, report.availableBeds))} of them`,
      },
      {
        field: 'bedsNeededForTarget',
        label: 'Beds to recruit',
        value: report.bedsNeededForTarget,
        text: count(report.bedsNeededForTarget),
        hint:
          report.bedsNeededForTarget === 0 && (toBringInHouse ?? 0) > 0
            ? 'none: the free beds can take them (placing children is the work now)'
            : 'new in-house beds needed beyond the free ones',
        emphasis: true,
      },
    ],
    'Children in care and in-house capacity',
  );
  const staleNote = stale
    ? h(
        'p',
        { class: 'note stale', role: 'note', 'data-stale': 'childrenInCare' },
        `The latest children-in-care count is from ${date(report.childrenInCareRecordedAt)}, more than two months before ${date(at)}: ` +
          "the in-house share and the beds still needed rest on it. A service manager records the month's count from the Capacity panel.",
      )
    : null;

  const { element: trendChart, canvas } = chartBox(
    'The last twelve months',
    'Approved households and approved beds at the end of each month (left scale) and the share of fostered children placed in house (right scale); the numbers are in the table beside it.',
    260,
  );
  draw(canvas, {
    type: 'line',
    data: {
      labels: report.trend.map((p) => monthYear.format(new Date(`${p.at}T00:00:00Z`))),
      datasets: [
        {
          label: 'Approved households',
          data: report.trend.map((p) => p.households),
          borderColor: colours.blue,
          backgroundColor: colours.blue,
          yAxisID: 'y',
        },
        {
          label: 'Approved beds',
          data: report.trend.map((p) => p.approvedBeds),
          borderColor: colours.teal,
          backgroundColor: colours.teal,
          yAxisID: 'y',
          borderDash: [6, 3],
        },
        {
          label: 'In-house share (%)',
          data: report.trend.map((p) => (p.inHouseShare === null ? null : Math.round(p.inHouseShare * 1000) / 10)),
          borderColor: colours.violet,
          backgroundColor: colours.violet,
          yAxisID: 'share',
          spanGaps: true,
        },
      ],
    },
    options: {
      plugins: { legend: { position: 'top', align: 'start' } },
      scales: {
        x: { ticks: { autoSkip: false } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'households and beds' } },
        share: {
          position: 'right',
          min: 0,
          max: 100,
          grid: { drawOnChartArea: false },
          title: { display: true, text: 'in-house share (%)' },
        },
      },
    },
  });
  const trendTable = table(
    'Month by month',
    [
      { heading: 'Month end', cell: (p) => date(p.at) },
      { heading: 'Households', numeric: true, cell: (p) => count(p.households) },
      { heading: 'Beds', numeric: true, cell: (p) => count(p.approvedBeds) },
      { heading: 'In house', numeric: true, cell: (p) => percent(p.inHouseShare, 1) },
    ],
    [...report.trend].reverse(),
    { rowKey: (p) => p.at },
  );

  const { pipeline } = report;
  const pipelineFigures = figures(
    [
      {
        field: 'pipeline.approvedToDate',
        label: 'Approved this year',
        value: pipeline.approvedToDate,
        text: count(pipeline.approvedToDate),
        hint: 'since 1 April',
      },
      {
        field: 'pipeline.inAssessment',
        label: 'In assessment',
        value: pipeline.inAssessment,
        text: count(pipeline.inAssessment),
        hint: `could offer ${plural(pipeline.prospectiveBeds, 'bed')}`,
      },
      {
        field: 'pipeline.expectedApprovalsYearEnd',
        label: 'Approvals expected by 31 March',
        value: pipeline.expectedApprovalsYearEnd,
        text: expectedCount(pipeline.expectedApprovalsYearEnd),
        hint: `${count(pipeline.approvedToDate)} so far; assessments convert at ${percent(pipeline.conversion)}`,
      },
      {
        field: 'pipeline.expectedBedsYearEnd',
        label: 'Beds expected on 31 March',
        value: pipeline.expectedBedsYearEnd,
        text: expectedCount(pipeline.expectedBedsYearEnd),
        hint: 'after expected resignations',
      },
    ],
    'Recruitment pipeline',
  );
  const interests = Object.entries(pipeline.byInterest);

  return [
    headline,
    staleNote,
    h('div', { class: 'columns wide-left' }, trendChart, trendTable),
    h('h3', {}, 'Recruitment pipeline'),
    pipelineFigures,
    table(
      'In assessment, by what they would like to offer',
      [
        { heading: 'Interest', cell: ([interest]) => interestInWords(interest) },
        { heading: 'Households', numeric: true, cell: ([, i]) => count(i.households) },
        { heading: 'Prospective beds', numeric: true, cell: ([, i]) => count(i.prospectiveBeds) },
      ],
      interests,
      { rowKey: ([interest]) => interest, empty: 'no households in assessment named an interest.' },
    ),
    glossary([
      [
        'fosteredChildren',
        'Children fostered in house plus those with independent agencies, from the latest children-in-care count on or before the date.',
      ],
      ['inHouseShare', 'Children fostered in house ÷ children fostered.'],
      [
        'bedsNeededForTarget',
        'The target share of fostered children, rounded up, minus those fostered in house, minus available beds; never below 0.',
      ],
      [
        'pipeline',
        'Approvals so far this financial year, households in assessment and the beds they could offer, and what to expect by 31 March (see the forecast).',
      ],
      ['trend', 'Approved households, approved beds and the in-house share at the end of each of the last eleven months and on the date.'],
    ]),
  ];
}
