// Campaign conversion (docs/metrics.md): how the enquiries of a window moved through initial visit,
// assessment and approval, per campaign or per channel, how long each step took, and what it cost.
import type { CampaignConversion, ConversionFigures, ConversionGroup } from '../../../shared/domain/campaign-conversion';
import { colours, draw } from '../charts';
import { field, h, replaceChildren, select } from '../dom';
import { count, date, days, money, percent, shown, todayUtc } from '../format';
import {
  cohortMaturity,
  financialYearBounds,
  financialYearName,
  lastCompleteFinancialYear,
  NO_SPEND,
  type CohortMaturity,
} from '../reading';
import { timelinessFigures } from './caseload';
import { chartBox, controls, figures, glossary, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';
import { channelWords, closureWords, wordFor } from '../../../shared/words';

const stages = [
  { key: 'enquiries', label: 'Enquiries', colour: colours.blue },
  { key: 'initialVisits', label: 'Initial visits', colour: colours.teal },
  { key: 'assessments', label: 'Assessments', colour: colours.violet },
  { key: 'approvals', label: 'Approvals', colour: colours.green },
] as const;

const TOO_EARLY = 'too early to say';

export function funnelPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'funnel',
    'Recruitment funnel',
    'Everyone who enquired in the window, and how far they have got since: by campaign or by channel, with conversion rates, time taken and cost.',
  );
  // The last complete financial year: a window still running, or just ended, has a cohort too young to judge.
  const lastYear = financialYearBounds(lastCompleteFinancialYear(todayUtc()));
  const to = h('input', { type: 'date', name: 'to', value: lastYear.end, required: true });
  const from = h('input', { type: 'date', name: 'from', value: lastYear.start, required: true });
  const groupBy = select(
    'groupBy',
    [
      ['campaign', 'Campaign'],
      ['channel', 'Channel (how they heard)'],
    ],
    'campaign',
  );
  const campaignId = select('campaignId', [['', 'All campaigns']], '');
  const results = h('div', { class: 'results' });
  const load = () =>
    loadInto(results, async () => {
      const chosen = campaignId.value;
      const [report, campaigns] = await Promise.all([
        context.api.get<CampaignConversion>('/metrics/campaign-conversion', {
          from: from.value,
          to: to.value,
          groupBy: groupBy.value,
          campaignId: chosen,
        }),
        // The names are a convenience: the figures still show (under ids) if they cannot be read.
        context.campaigns.list().catch(() => []),
      ]);
      replaceChildren(
        campaignId,
        h('option', { value: '' }, 'All campaigns'),
        campaigns.map((c) => h('option', { value: c.campaignId, selected: c.campaignId === chosen }, c.name)),
      );
      // Managers see how quickly the service answered the same enquiries beside the funnel.
      const timeliness = context.session.groups.includes('manager')
        ? await timelinessFigures(context, { from: from.value, to: to.value })
        : [];
      return [...render(report, groupBy.value as 'campaign' | 'channel', context), ...timeliness];
    });
  body.append(
    controls(
      'Funnel window',
      [
        field(
          'Enquiries from',
          from,
          `Default: the last complete financial year, ${financialYearName(lastCompleteFinancialYear(todayUtc()))}`,
        ),
        field('to', to),
        field('Group by', groupBy),
        field('Campaign', campaignId),
      ],
      () => void load(),
    ),
    results,
  );
  return { id: 'funnel', title: 'Funnel', element, show: load };
}

/** Spend in words: none recorded is not the same as free. */
const spendText = (pence: number | null): string => (pence === 0 ? NO_SPEND : money(pence));
/** Cost per step: nothing to say without spend, and too early while the cohort is young. */
const costText = (spendPence: number | null, cost: number | null, maturity: CohortMaturity): string =>
  spendPence === 0 ? NO_SPEND : maturity === 'young' ? TOO_EARLY : money(cost);

function render(report: CampaignConversion, groupBy: 'campaign' | 'channel', context: PanelContext): Array<Node | null> {
  const { cohort, rates, timeliness, cost, activity } = report;
  const groupName = (group: ConversionGroup) =>
    group.key === null
      ? groupBy === 'campaign'
        ? 'No campaign'
        : 'Not recorded'
      : groupBy === 'channel'
        ? wordFor(channelWords, group.key)
        : context.campaigns.nameOf(group.key);
  const maturity = cohortMaturity(report, todayUtc(), cohort.open);
  const soFar = maturity === 'settled' ? '' : ' so far';

  const headline = figures(
    [
      {
        field: 'cohort.enquiries',
        label: 'Enquiries',
        value: cohort.enquiries,
        text: count(cohort.enquiries),
        hint: 'households who enquired in the window',
      },
      {
        field: 'cohort.initialVisits',
        label: 'Initial visits',
        value: cohort.initialVisits,
        text: count(cohort.initialVisits),
        hint: `${percent(rates.visitRate)} of enquiries`,
      },
      {
        field: 'cohort.assessments',
        label: 'Assessments',
        value: cohort.assessments,
        text: count(cohort.assessments),
        hint: `${percent(rates.assessmentRate)} of visits went on to apply`,
      },
      {
        field: 'cohort.approvals',
        label: `Approvals${soFar}`,
        value: cohort.approvals,
        text: count(cohort.approvals),
        hint: `${percent(rates.approvalRate)} of assessments`,
      },
      {
        field: 'rates.overallRate',
        label: 'Enquiry to approval',
        value: rates.overallRate,
        text: maturity === 'young' ? TOO_EARLY : percent(rates.overallRate, 1),
        hint: `share of enquirers approved${soFar}`,
        emphasis: true,
      },
      {
        field: 'cost.costPerApproval',
        label: 'Cost per approval',
        value: cost.costPerApproval,
        text: costText(cost.spendPence, cost.costPerApproval, maturity),
        hint: cost.spendPence === 0 ? 'no campaign spend in the window' : `spend ${spendText(cost.spendPence)} in the window`,
        emphasis: true,
      },
    ],
    'Funnel totals',
  );
  const maturityNote =
    maturity === 'young'
      ? h(
          'p',
          { class: 'note', 'data-maturity': maturity },
          `Too early to judge this cohort: most of these households enquired less than eight months ago (an assessment takes about that long), ` +
            `so few could have been approved yet; ${count(cohort.open)} are still open. In the same window ${count(activity.approvals.count)} households were approved, whenever they enquired (activity below).`,
        )
      : maturity === 'maturing'
        ? h(
            'p',
            { class: 'note', 'data-maturity': maturity },
            `Figures so far: ${cohort.open > 0 ? `${count(cohort.open)} of these households are still open` : 'the window ended less than eight months ago'}, so approvals and the cost per approval may still change.`,
          )
        : null;

  const timing = h(
    'ul',
    { class: 'plain', 'aria-label': 'Median days between the stages' },
    (
      [
        ['timeliness.enquiryToVisitDays', 'Enquiry to initial visit', timeliness.enquiryToVisitDays],
        ['timeliness.visitToAssessmentDays', 'Initial visit to assessment', timeliness.visitToAssessmentDays],
        ['timeliness.assessmentToApprovalDays', 'Assessment to approval', timeliness.assessmentToApprovalDays],
      ] as const
    ).map(([name, label, value]) =>
      h('li', { 'data-figure': name, 'data-value': value ?? '' }, h('span', {}, label), h('strong', {}, shown(days(value)))),
    ),
  );

  // A campaign with neither an enquiry nor spend in the window has nothing to say about it.
  const groups = [...report.groups]
    .filter((g) => g.cohort.enquiries > 0 || (g.cost.spendPence ?? 0) > 0)
    .sort((a, b) => b.cohort.enquiries - a.cohort.enquiries);
  const charted = groups.filter((g) => g.cohort.enquiries > 0);
  const leftOut = report.groups.length - groups.length;
  const { element: chartElement, canvas } = chartBox(
    `Funnel by ${groupBy}`,
    `Enquiries, initial visits, assessments and approvals for each ${groupBy} with enquiries in the window; the same numbers are in the table below.`,
    Math.max(200, 90 + charted.length * 34),
  );
  draw(canvas, {
    type: 'bar',
    data: {
      labels: charted.map(groupName),
      datasets: stages.map((stage) => ({
        label: stage.label,
        data: charted.map((g) => g.cohort[stage.key]),
        backgroundColor: stage.colour,
        maxBarThickness: 14,
      })),
    },
    // Horizontal, every label shown: a campaign's name is longer than a bar is wide.
    options: {
      indexAxis: 'y',
      plugins: { legend: { position: 'top', align: 'start' } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } },
    },
  });

  const closures = Object.entries(cohort.closed)
    .filter(([, n]) => (n ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  const side = h(
    'div',
    { class: 'side' },
    h('h3', {}, 'Time taken (median)'),
    timing,
    h('h3', {}, 'Work in hand'),
    h(
      'ul',
      { class: 'plain' },
      h(
        'li',
        { 'data-figure': 'cohort.open', 'data-value': cohort.open },
        h('span', {}, 'Still open (neither approved nor closed)'),
        h('strong', {}, count(cohort.open)),
      ),
      h(
        'li',
        { 'data-figure': 'activity.inAssessmentAt', 'data-value': activity.inAssessmentAt.count },
        h('span', {}, `In assessment now (a year earlier: ${count(activity.inAssessmentAt.previousYear)})`),
        h('strong', {}, count(activity.inAssessmentAt.count)),
      ),
    ),
    h('h3', {}, 'Why enquiries closed'),
    closures.length === 0
      ? h('p', { class: 'empty' }, 'None closed yet.')
      : h(
          'ul',
          { class: 'plain', 'data-figure': 'cohort.closed' },
          closures.map(([reason, n]) =>
            h('li', { 'data-reason': reason }, h('span', {}, wordFor(closureWords, reason)), h('strong', {}, count(n))),
          ),
        ),
  );

  const rows = table<ConversionGroup>(
    `Each ${groupBy}`,
    [
      { heading: groupBy === 'campaign' ? 'Campaign' : 'Channel', cell: groupName },
      { heading: 'Enquiries', field: 'enquiries', numeric: true, cell: (g) => count(g.cohort.enquiries) },
      {
        heading: 'Initial visits',
        field: 'initialVisits',
        numeric: true,
        cell: (g) => withRate(g.cohort.initialVisits, g.rates.visitRate),
      },
      { heading: 'Assessments', field: 'assessments', numeric: true, cell: (g) => withRate(g.cohort.assessments, g.rates.assessmentRate) },
      { heading: 'Approvals', field: 'approvals', numeric: true, cell: (g) => withRate(g.cohort.approvals, g.rates.approvalRate) },
      { heading: 'Enquiry to approval', field: 'overallRate', numeric: true, cell: (g) => percent(g.rates.overallRate, 1) },
      { heading: 'Days to visit', numeric: true, cell: (g) => count(g.timeliness.enquiryToVisitDays) },
      { heading: 'Days to apply', numeric: true, cell: (g) => count(g.timeliness.visitToAssessmentDays) },
      { heading: 'Days to approval', numeric: true, cell: (g) => count(g.timeliness.assessmentToApprovalDays) },
      { heading: 'Spend', field: 'spendPence', numeric: true, cell: (g) => spendText(g.cost.spendPence) },
      {
        heading: 'Cost per approval',
        field: 'costPerApproval',
        numeric: true,
        cell: (g) => costText(g.cost.spendPence, g.cost.costPerApproval, maturity),
      },
    ],
    groups,
    { rowKey: (g) => g.key ?? '', empty: 'no enquiries in this window.' },
  );

  return [
    headline,
    maturityNote,
    h('div', { class: 'columns' }, chartElement, side),
    rows,
    leftOut > 0
      ? h(
          'p',
          { class: 'hint', 'data-left-out': leftOut },
          `${leftOut === 1 ? 'One campaign' : `${count(leftOut)} ${groupBy === 'campaign' ? 'campaigns' : 'channels'}`} with no enquiry and no spend from ${date(report.from)} to ${date(report.to)} ${leftOut === 1 ? 'is' : 'are'} left out.`,
        )
      : null,
    activityTable(activity),
    glossary([
      [
        'cohort',
        'The households whose first enquiry falls in the window, as they stand today. Stages count once reached: an approved household also counts as visited and assessed.',
      ],
      [
        'rates',
        'visitRate = initial visits ÷ enquiries; assessmentRate = assessments ÷ initial visits; approvalRate = approvals ÷ assessments; overallRate = approvals ÷ enquiries. None when there is nothing to divide by.',
      ],
      ['timeliness', 'Median whole days between the two stages, over the households with both dates recorded.'],
      [
        'cost',
        'spendPence = campaign spend recorded in the window; cost per enquiry, approval or approved bed divides it. Spend is recorded per campaign, so channels show none.',
      ],
      ['activity', 'What happened in the window whatever the enquiry date, against the same window a year earlier (changePct).'],
    ]),
  ];
}

const withRate = (n: number, rate: number | null): string => (rate === null ? count(n) : `${count(n)} (${percent(rate)})`);

function activityTable(activity: ConversionFigures['activity']): HTMLElement {
  const rows = [
    ['Enquiries', activity.enquiries],
    ['Initial visits', activity.initialVisits],
    ['Assessments started', activity.assessments],
    ['Approvals', activity.approvals],
    ['In assessment at the end', activity.inAssessmentAt],
  ] as const;
  return table(
    'Activity in the window, whatever the enquiry date, against the same window a year earlier',
    [
      { heading: 'Step', cell: (r) => r[0] },
      { heading: 'This year', numeric: true, cell: (r) => count(r[1].count) },
      { heading: 'Year before', numeric: true, cell: (r) => count(r[1].previousYear) },
      {
        heading: 'Change',
        numeric: true,
        cell: (r) => (r[1].changePct === null ? '—' : `${r[1].changePct > 0 ? '+' : ''}${r[1].changePct}%`),
      },
    ],
    [...rows],
  );
}
