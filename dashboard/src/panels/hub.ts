// The hub's front door (docs/metrics.md): the households that enquired at the region's hub, followed
// through the handover to the council that took each on, beside the same window a year earlier and
// the figures hubs and the country have published, as context (never as a target).
import type { CouncilFigures, HubFigureSet, HubFiguresAnswer } from '../../../shared/domain/hub-figures';
import { addDays, addYears } from '../../../shared/domain/calendar';
import { field, h } from '../dom';
import { count, date, days, percent, todayUtc } from '../format';
import { controls, figures, glossary, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';

/** Published figures, for context: Foster with North East's first year as a hub, and England's. */
const anchors = {
  enquiryToApplication: { hub: 0.231, national: 0.12 },
  applicationToApprovalMonths: { hub: 4.8, national: 6 },
};
const DAYS_PER_MONTH = 365.25 / 12;
const months = (d: number | null) => (d === null ? '—' : `${(d / DAYS_PER_MONTH).toFixed(1)} months`);

export function hubPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'hub',
    'Hub front door',
    "The enquiries that came to the region's hub, followed through the handover to whichever council took them on.",
  );
  const to = h('input', { type: 'date', name: 'to', value: todayUtc(), max: todayUtc() });
  const from = h('input', { type: 'date', name: 'from', value: addDays(addYears(todayUtc(), -1), 1) });
  const results = h('div', { class: 'results' });
  const load = () =>
    loadInto(results, async () =>
      render(await context.api.get<HubFiguresAnswer>('/metrics/hub', { from: from.value, to: to.value }), context),
    );
  body.append(
    controls('Enquiries at the hub', [field('From', from), field('To', to)], () => void load()),
    results,
  );
  return { id: 'hub', title: 'Hub front door', element, show: load };
}

function render(r: HubFiguresAnswer, context: PanelContext): Node[] {
  const before = r.yearEarlier;
  const then = (text: string) => `a year earlier: ${text}`;
  return [
    h('h3', {}, `Enquiries at the hub, ${date(r.from)} to ${date(r.to)}`),
    figures(
      [
        { field: 'enquiries', label: 'Enquiries', value: r.enquiries, text: count(r.enquiries), hint: then(count(before.enquiries)) },
        {
          field: 'firstResponse.rate',
          label: 'First response within target',
          value: r.firstResponse.rate,
          text: percent(r.firstResponse.rate),
          hint: `${count(r.firstResponse.withinTarget)} of ${count(r.firstResponse.households)} answered; ${then(percent(before.firstResponse.rate))}`,
        },
        {
          field: 'initialVisit.rate',
          label: 'Initial visit within target',
          value: r.initialVisit.rate,
          text: percent(r.initialVisit.rate),
          hint: `${count(r.initialVisit.withinTarget)} of ${count(r.initialVisit.households)} visited; ${then(percent(before.initialVisit.rate))}`,
        },
        {
          field: 'handedOver',
          label: 'Handed over to councils',
          value: r.handedOver,
          text: count(r.handedOver),
          hint: `median ${days(r.medianDaysEnquiryToHandover)} after the enquiry`,
        },
        {
          field: 'applications',
          label: 'Applications',
          value: r.applications,
          text: count(r.applications),
          hint: `assessments started, wherever; ${then(count(before.applications))}`,
        },
        { field: 'approvals', label: 'Approvals', value: r.approvals, text: count(r.approvals), hint: then(count(before.approvals)) },
      ],
      "The hub's front door",
    ),
    h('h3', {}, 'Beside the published figures (context, not a target)'),
    figures(
      [
        {
          field: 'enquiryToApplicationRate',
          label: 'Enquiries reaching an application',
          value: r.enquiryToApplicationRate,
          text: percent(r.enquiryToApplicationRate, 1),
          hint: `Foster with North East's first year ${percent(anchors.enquiryToApplication.hub, 1)}; England ${percent(anchors.enquiryToApplication.national)}`,
          emphasis: true,
        },
        {
          field: 'medianDaysApplicationToApproval',
          label: 'Application to approval (median)',
          value: r.medianDaysApplicationToApproval,
          text: months(r.medianDaysApplicationToApproval),
          hint: `Foster with North East's first year ${anchors.applicationToApprovalMonths.hub} months; England ${anchors.applicationToApprovalMonths.national} months`,
          emphasis: true,
        },
      ],
      'Against the published figures',
    ),
    // By council first, full width: its seven columns do not sit beside another table.
    table(
      'By council handed to',
      [
        { heading: 'Council', cell: ([council]) => council },
        { heading: 'Handed over', field: 'handedOver', numeric: true, cell: ([, f]: [string, CouncilFigures]) => count(f.handedOver) },
        {
          heading: 'Applications',
          field: 'applications',
          numeric: true,
          cell: ([, f]: [string, CouncilFigures]) => count(f.applications),
        },
        { heading: 'Approvals', field: 'approvals', numeric: true, cell: ([, f]: [string, CouncilFigures]) => count(f.approvals) },
        {
          heading: 'To application',
          field: 'enquiryToApplicationRate',
          numeric: true,
          cell: ([, f]: [string, CouncilFigures]) => percent(f.enquiryToApplicationRate, 1),
        },
        {
          heading: 'Days to handover (median)',
          numeric: true,
          cell: ([, f]: [string, CouncilFigures]) => days(f.medianDaysEnquiryToHandover),
        },
        {
          heading: 'Application to approval (median)',
          numeric: true,
          cell: ([, f]: [string, CouncilFigures]) => months(f.medianDaysApplicationToApproval),
        },
      ],
      Object.entries(r.byCouncil),
      { rowKey: ([council]) => council },
    ),
    table(
      'By campaign',
      [
        { heading: 'Campaign', cell: ([id]) => context.campaigns.nameOf(id) },
        { heading: 'Enquiries', field: 'enquiries', numeric: true, cell: ([, f]: [string, HubFigureSet]) => count(f.enquiries) },
        { heading: 'Handed over', numeric: true, cell: ([, f]: [string, HubFigureSet]) => count(f.handedOver) },
        { heading: 'Applications', numeric: true, cell: ([, f]: [string, HubFigureSet]) => count(f.applications) },
        { heading: 'Approvals', numeric: true, cell: ([, f]: [string, HubFigureSet]) => count(f.approvals) },
        { heading: 'To application', numeric: true, cell: ([, f]: [string, HubFigureSet]) => percent(f.enquiryToApplicationRate, 1) },
      ],
      Object.entries(r.byCampaign),
      { rowKey: ([id]) => id },
    ),
    glossary([
      ['enquiries', 'Households that enquired at the hub in the window, each counted at the hub whatever the council did next.'],
      [
        'firstResponse, initialVisit',
        "Within the hub's own targets from the enquiry date, wherever the call or the visit was made (at the hub, or at the council after the handover).",
      ],
      ['handedOver', 'Households the hub handed to a member council, and not handed back.'],
      ['applications, approvals', 'Assessments started and approvals, at the council the household went to (or the hub).'],
      ['enquiryToApplicationRate', 'Applications divided by enquiries; by council, divided by the households handed to it.'],
      ['byCouncil', 'What became of the households handed to each council, as that council recorded it.'],
      ['yearEarlier', 'The same figures for the same dates a year before.'],
    ]),
  ];
}
