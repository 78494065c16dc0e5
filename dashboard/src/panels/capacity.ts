// Capacity and beds on hold (docs/metrics.md): approved households and their beds at a date, how
// many are filled, vacant, on hold and why, and so how many a child could be placed in today.
import type { BedsOnHold, Capacity, CategoryCapacity } from '../../../shared/domain/capacity';
import type { HoldReason } from '../../../shared/events/vocabulary';
import type { Sufficiency } from '../../../shared/domain/sufficiency';
import { readUntil } from '../api';
import { colours, draw } from '../charts';
import { field, h } from '../dom';
import { count, date, days, percent, plural, todayUtc } from '../format';
import { wireCommandForm } from '../forms';
import { isStaleCount } from '../reading';
import { chartBox, controls, figures, glossary, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';
import { categoryWords, holdReasonWords, placementTypeWords, wordFor } from '../../../shared/words';

export function capacityPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'capacity',
    'Capacity and beds on hold',
    'Approved fostering households and their beds on a date: filled, vacant, on hold (and why), and free for a child today.',
  );
  const at = h('input', { type: 'date', name: 'at', value: todayUtc(), required: true });
  const results = h('div', { class: 'results' });
  const load = () =>
    loadInto(results, async () => {
      const [capacity, holds] = await Promise.all([
        context.api.get<Capacity>('/metrics/capacity', { at: at.value }),
        context.api.get<BedsOnHold>('/metrics/beds-on-hold', { at: at.value }),
      ]);
      return render(capacity, holds);
    });
  body.append(
    controls('Capacity date', [field('Figures at', at)], () => void load()),
    results,
  );
  if (context.session.groups.includes('manager')) body.append(childrenInCareForm(context));
  return { id: 'capacity', title: 'Capacity & holds', element, show: load };
}

/** A manager records the month's children-in-care count here, beside the capacity it is set against. */
function childrenInCareForm(context: PanelContext): HTMLElement {
  const latest = h('p', { class: 'hint', 'data-latest-count': '' });
  const number = (name: string) => h('input', { type: 'number', name, min: 0, required: true, inputmode: 'numeric' });
  const inCare = number('childrenInCare');
  const inHouse = number('fosteredInHouse');
  const agency = number('fosteredAgency');
  const on = h('input', { type: 'date', name: 'occurredAt', value: todayUtc(), max: todayUtc() });
  const readLatest = () => context.api.get<Sufficiency>('/metrics/sufficiency', { at: todayUtc() });
  const showLatest = (report: Sufficiency) => {
    const stale = isStaleCount(report.childrenInCareRecordedAt, todayUtc());
    latest.className = stale ? 'note stale' : 'hint';
    latest.dataset.latestCount = report.childrenInCareRecordedAt ?? '';
    latest.textContent = report.childrenInCareRecordedAt
      ? `Latest count: ${count(report.childrenInCare)} children in care on ${date(report.childrenInCareRecordedAt)} (${count(report.fosteredInHouse)} fostered in house, ${count(report.fosteredAgency)} with independent agencies)${stale ? ': more than two months old, so the sufficiency figures rest on an out-of-date count' : ''}.`
      : 'No children-in-care count recorded yet: sufficiency has nothing to set capacity against.';
  };
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'children-in-care' },
    h('h3', { id: 'children-in-care' }, "Record the month's children-in-care count"),
    latest,
    h(
      'div',
      { class: 'grid-3' },
      field('Children in care', inCare),
      field('Fostered in house', inHouse),
      field('Fostered by independent agencies', agency),
    ),
    h('div', { class: 'actions' }, field('Counted on', on), h('button', { type: 'submit' }, 'Record count')),
  );
  wireCommandForm({
    form,
    send: async (idempotencyKey) => {
      const occurredAt = on.value && on.value < todayUtc() ? `${on.value}T12:00:00Z` : undefined;
      const answer = { childrenInCare: Number(inCare.value), fosteredInHouse: Number(inHouse.value), fosteredAgency: Number(agency.value) };
      await context.api.send('POST', '/children-in-care', { ...answer, ...(occurredAt ? { occurredAt } : {}) }, idempotencyKey);
      context.announce('Children-in-care count recorded.');
      const before = latest.dataset.latestCount ?? '';
      showLatest(await readUntil(readLatest, (r) => (r.childrenInCareRecordedAt ?? '') !== before));
      for (const input of [inCare, inHouse, agency]) input.value = '';
    },
  });
  void readLatest().then(showLatest, () => (latest.textContent = ''));
  return form;
}

function render(capacity: Capacity, holds: BedsOnHold): Node[] {
  const beds = figures(
    [
      { field: 'capacity.households', label: 'Approved households', value: capacity.households, text: count(capacity.households) },
      {
        field: 'capacity.approvedBeds',
        label: 'Approved beds',
        value: capacity.approvedBeds,
        text: count(capacity.approvedBeds),
        hint: 'places the approvals allow',
      },
      {
        field: 'capacity.occupiedBeds',
        label: 'Children placed',
        value: capacity.occupiedBeds,
        text: count(capacity.occupiedBeds),
        hint: `${percent(capacity.occupancyRate)} of approved beds`,
      },
      { field: 'capacity.vacantBeds', label: 'Vacant beds', value: capacity.vacantBeds, text: count(capacity.vacantBeds) },
      {
        field: 'capacity.bedsOnHold',
        label: 'Beds on hold',
        value: capacity.bedsOnHold,
        text: count(capacity.bedsOnHold),
        hint: 'vacant but not available',
      },
      {
        field: 'capacity.availableBeds',
        label: 'Available beds',
        value: capacity.availableBeds,
        text: count(capacity.availableBeds),
        hint: 'a child could be placed today',
        emphasis: true,
      },
    ],
    'Beds',
  );

  const categories = Object.entries(capacity.byCategory) as Array<[string, CategoryCapacity]>;
  const { element: categoryChart, canvas: categoryCanvas } = chartBox(
    'Beds by type of carer',
    'Approved beds of each carer category, split into children placed and beds not filled; the numbers are in the table below.',
    290,
  );
  draw(categoryCanvas, {
    type: 'bar',
    data: {
      labels: categories.map(([category]) => shortCategory(category)),
      datasets: [
        { label: 'Children placed', data: categories.map(([, c]) => c.occupiedBeds), backgroundColor: colours.blue, maxBarThickness: 28 },
        {
          label: 'Not filled',
          data: categories.map(([, c]) => Math.max(0, c.approvedBeds - c.occupiedBeds)),
          backgroundColor: colours.teal,
          maxBarThickness: 28,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { position: 'top', align: 'start' } },
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { autoSkip: false } } },
    },
  });

  const reasons = holds.byReason.filter((r) => r.households > 0 || r.beds > 0);
  // Tall enough for every reason's label: Chart.js drops labels that do not fit.
  const { element: holdChart, canvas: holdCanvas } = chartBox(
    'Beds on hold by reason',
    'Beds held for each reason, carer-initiated and service-initiated; the numbers are in the table below.',
    Math.max(120, 60 + reasons.length * 30),
  );
  draw(holdCanvas, {
    type: 'bar',
    data: {
      labels: reasons.map((r) => shortHoldReason[r.reason]),
      datasets: [
        {
          label: 'Beds on hold',
          data: reasons.map((r) => r.beds),
          backgroundColor: reasons.map((r) => (r.initiatedBy === 'service' ? colours.rose : colours.amber)),
          maxBarThickness: 28,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: {
        x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'beds' } },
        y: { ticks: { autoSkip: false } },
      },
    },
  });

  const holdFigures = figures(
    [
      {
        field: 'holds.households',
        label: 'Households on hold',
        value: holds.households,
        text: count(holds.households),
        hint: plural(holds.beds, 'bed'),
      },
      {
        field: 'holds.primary.households',
        label: 'Primary holds',
        value: holds.primary.households,
        text: count(holds.primary.households),
        hint: `no child placed · ${plural(holds.primary.beds, 'bed')}`,
      },
      {
        field: 'holds.secondary.households',
        label: 'Secondary holds',
        value: holds.secondary.households,
        text: count(holds.secondary.households),
        hint: `a child placed, another bed held · ${plural(holds.secondary.beds, 'bed')}`,
      },
      {
        field: 'holds.serviceInitiated',
        label: 'Held by the service',
        value: holds.serviceInitiated,
        text: count(holds.serviceInitiated),
        hint: 'households',
      },
      {
        field: 'holds.concerns',
        label: 'Concerns',
        value: holds.concerns,
        text: count(holds.concerns),
        hint: 'standards of care or allegation',
      },
      {
        field: 'holds.medianDaysOnHold',
        label: 'Typical time on hold',
        value: holds.medianDaysOnHold,
        text: days(holds.medianDaysOnHold),
        hint: 'median so far',
      },
    ],
    'Beds on hold',
  );

  const reasonTable = table(
    'Holds by reason',
    [
      { heading: 'Reason', cell: (r) => wordFor(holdReasonWords, r.reason) },
      { heading: 'Asked for by', cell: (r) => (r.initiatedBy === 'service' ? 'Service' : 'Carer') },
      { heading: 'Households', field: 'households', numeric: true, cell: (r) => count(r.households) },
      { heading: 'Beds', field: 'beds', numeric: true, cell: (r) => count(r.beds) },
    ],
    reasons,
    { rowKey: (r) => r.reason, empty: 'no beds on hold.' },
  );

  const categoryTable = table(
    'Households and beds by type of carer',
    [
      { heading: 'Carer category', cell: ([category]) => wordFor(categoryWords, category) },
      { heading: 'Households', field: 'households', numeric: true, cell: ([, c]) => count(c.households) },
      { heading: 'Approved beds', field: 'approvedBeds', numeric: true, cell: ([, c]) => count(c.approvedBeds) },
      { heading: 'Children placed', field: 'occupiedBeds', numeric: true, cell: ([, c]) => count(c.occupiedBeds) },
    ],
    categories,
    { rowKey: ([category]) => category },
  );

  const placements = Object.entries(capacity.placementsByType).filter(([, n]) => n > 0);
  const placementTable = table(
    'Children placed, by type of placement',
    [
      { heading: 'Placement type', cell: ([type]) => wordFor(placementTypeWords, type) },
      { heading: 'Children', field: 'placements', numeric: true, cell: ([, n]) => count(n) },
    ],
    placements,
    { rowKey: ([type]) => type, empty: 'no children placed.' },
  );

  return [
    beds,
    h(
      'div',
      { class: 'columns even' },
      categoryChart,
      h(
        'div',
        { class: 'holds' },
        holdFigures,
        holdChart,
        h(
          'p',
          { class: 'hint key' },
          h('span', { class: 'swatch carer' }),
          'the carer asked ',
          h('span', { class: 'swatch service' }),
          'the service decided',
        ),
      ),
    ),
    h('div', { class: 'columns thirds' }, categoryTable, reasonTable, placementTable),
    glossary([
      ['households', 'Households approved on or before the date and not resigned by it.'],
      ['approvedBeds / occupiedBeds', 'Beds their current approvals allow / children placed with them (active placements).'],
      ['vacantBeds', 'For each household, approved beds minus children placed (never below 0), added up.'],
      ['bedsOnHold', "Vacant beds that are not to be used: the smaller of a household's vacant beds and the beds its active holds name."],
      ['availableBeds', 'Vacant beds minus beds on hold: where a child could be placed.'],
      [
        'primary / secondary',
        'Households on hold with no child placed / with a child placed and another bed held (often to match the right child with those already there).',
      ],
      ['concerns', 'Approved households with an active standards-of-care or allegation hold.'],
      ['medianDaysOnHold', 'Median whole days since each active hold began.'],
    ]),
  ];
}

/** Short names for the charts' axes; the tables give the full ones. */
const shortHoldReason: Record<HoldReason, string> = {
  carer_health: "Carer's health",
  carer_family: "Carer's family",
  carer_break: "Carer's break",
  carer_building_work: 'Building work',
  standards_of_care: 'Standards of care',
  allegation: 'Allegation',
  matching: 'Matching',
};

function shortCategory(category: string): string {
  return (
    (
      {
        mainstream: 'Mainstream',
        connected_person_reg24: 'Connected (reg 24)',
        connected_person_reg27: 'Connected (reg 27)',
        supported_lodgings: 'Supported lodgings',
        short_breaks: 'Short breaks',
      } as Record<string, string>
    )[category] ?? category
  );
}
