// The annual return (docs/metrics.md), laid out as the inspectorate's fostering return is: the year's
// recruitment (enquiries to approvals), applications that did not lead to approval by code,
// deregistrations by reason, and the households and places at 31 March.
import type { AnnualReturn } from '../../../shared/domain/annual-return';
import { field, h, select } from '../dom';
import { count, date, todayUtc } from '../format';
import { financialYearName, lastCompleteFinancialYear } from '../reading';
import { controls, figures, glossary, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';
import { categoryWords, closureAfterApplicationWords, holdReasonWords, resignationReasonWords, wordFor } from '../../../shared/words';

export function annualReturnPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'annual-return',
    'Annual return',
    "The year's figures for the return to the inspectorate, 1 April to 31 March, row by row as the return asks for them.",
  );
  const last = lastCompleteFinancialYear(todayUtc());
  const year = select(
    'financialYear',
    [0, 1, 2, 3, 4].map((back) => [String(last + 1 - back), financialYearName(last + 1 - back)] as const),
    String(last),
  );
  const results = h('div', { class: 'results' });
  const download = h('button', { type: 'button', class: 'secondary' }, 'Download as CSV');
  const downloadNote = h('p', { class: 'hint', role: 'status' });
  download.addEventListener('click', async () => {
    downloadNote.textContent = '';
    try {
      const csv = await context.api.download('/metrics/annual-return', { financialYear: year.value, format: 'csv' });
      const link = h('a', { href: URL.createObjectURL(csv), download: `annual-return-${financialYearName(Number(year.value))}.csv` });
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      downloadNote.textContent = `The CSV could not be made: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
  const load = () =>
    loadInto(results, async () => render(await context.api.get<AnnualReturn>('/metrics/annual-return', { financialYear: year.value })));
  body.append(
    controls('Return year', [field('Financial year', year)], () => void load()),
    h('div', { class: 'actions' }, download, downloadNote),
    results,
  );
  return { id: 'annual-return', title: 'Annual return', element, show: load };
}

function render(r: AnnualReturn): Node[] {
  const { withdrawals, deregistrations, atYearEnd } = r;
  return [
    h('h3', {}, `Recruitment, ${date(r.from)} to ${date(r.to)}`),
    figures(
      [
        { field: 'enquiries', label: 'Enquiries', value: r.enquiries, text: count(r.enquiries), hint: 'households who enquired' },
        { field: 'initialVisits', label: 'Initial visits', value: r.initialVisits, text: count(r.initialVisits) },
        { field: 'applications', label: 'Applications', value: r.applications, text: count(r.applications), hint: 'assessments started' },
        {
          field: 'approvals',
          label: 'Approvals',
          value: r.approvals,
          text: count(r.approvals),
          hint: `for ${count(r.approvedBeds)} places`,
        },
        {
          field: 'withdrawals.total',
          label: 'Applications not approved',
          value: withdrawals.total,
          text: count(withdrawals.total),
          hint: 'withdrawn or refused',
        },
        {
          field: 'deregistrations.total',
          label: 'Deregistrations',
          value: deregistrations.total,
          text: count(deregistrations.total),
          hint: `${count(deregistrations.byInitiator.carer)} by the carer, ${count(deregistrations.byInitiator.agency)} by the agency`,
        },
      ],
      "The year's recruitment",
    ),
    h(
      'div',
      { class: 'columns even' },
      table(
        'Applications that did not lead to approval, by code',
        [
          { heading: 'Reason', cell: ([code]) => wordFor(closureAfterApplicationWords, code) },
          { heading: 'Households', field: 'households', numeric: true, cell: ([, n]) => count(n) },
        ],
        Object.entries(withdrawals.byCode),
        { rowKey: ([code]) => code },
      ),
      table(
        'Deregistrations, by reason',
        [
          { heading: 'Reason', cell: ([reason]) => wordFor(resignationReasonWords, reason) },
          { heading: 'Households', field: 'households', numeric: true, cell: ([, n]) => count(n) },
        ],
        Object.entries(deregistrations.byReason),
        { rowKey: ([reason]) => reason },
      ),
    ),
    h('h3', {}, `At ${date(r.to)}`),
    figures(
      [
        { field: 'atYearEnd.households', label: 'Fostering households', value: atYearEnd.households, text: count(atYearEnd.households) },
        {
          field: 'atYearEnd.approvedPlaces',
          label: 'Approved places',
          value: atYearEnd.approvedPlaces,
          text: count(atYearEnd.approvedPlaces),
        },
        { field: 'atYearEnd.filled', label: 'Filled', value: atYearEnd.filled, text: count(atYearEnd.filled), hint: 'children placed' },
        { field: 'atYearEnd.vacant', label: 'Vacant', value: atYearEnd.vacant, text: count(atYearEnd.vacant) },
        {
          field: 'atYearEnd.notAvailable.beds',
          label: 'Not available',
          value: atYearEnd.notAvailable.beds,
          text: count(atYearEnd.notAvailable.beds),
          hint: `vacant but on hold, ${count(atYearEnd.notAvailable.households)} households`,
        },
        { field: 'atYearEnd.available', label: 'Available', value: atYearEnd.available, text: count(atYearEnd.available), emphasis: true },
      ],
      'Households and places at 31 March',
    ),
    h(
      'div',
      { class: 'columns even' },
      table(
        'Households and places by type of carer',
        [
          { heading: 'Carer category', cell: ([category]) => wordFor(categoryWords, category) },
          { heading: 'Households', field: 'households', numeric: true, cell: ([, c]) => count(c.households) },
          { heading: 'Approved places', field: 'approvedPlaces', numeric: true, cell: ([, c]) => count(c.approvedPlaces) },
          { heading: 'Filled', field: 'filled', numeric: true, cell: ([, c]) => count(c.filled) },
        ],
        Object.entries(atYearEnd.byCategory),
        { rowKey: ([category]) => category },
      ),
      table(
        'Places not available, by reason',
        [
          { heading: 'Reason', cell: ([reason]) => wordFor(holdReasonWords, reason) },
          { heading: 'Households', numeric: true, cell: ([, c]) => count(c.households) },
          { heading: 'Places', field: 'beds', numeric: true, cell: ([, c]) => count(c.beds) },
        ],
        Object.entries(atYearEnd.notAvailable.byReason),
        { rowKey: ([reason]) => reason },
      ),
    ),
    glossary([
      [
        'enquiries … approvals',
        'Households whose enquiry, initial visit, application (assessment started) or approval is dated in the year.',
      ],
      [
        'withdrawals',
        "Applications that ended in the year without approval: Ofsted's withdrawal codes AW0–AW5, and refusals by panel or the decision maker.",
      ],
      ['deregistrations', 'Approved households that resigned in the year, by reason and by who ended it.'],
      ['atYearEnd', 'Capacity and beds on hold at the end of 31 March, as the Capacity panel counts them.'],
    ]),
  ];
}
