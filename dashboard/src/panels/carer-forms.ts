// What a service manager records about an approved fostering household, from its record: an
// approval change, a placement and its end, a hold and its end, a resignation risk flag and its
// clearing, a resignation. Each is its own small form with its own date, so the API's refusals
// (a field error, or a 409 such as "change the approval first") show beside what they name.
import type { Hold, Placement, RiskFlag } from '../../../shared/domain/household';
import { field, h, select } from '../dom';
import { date, plural, todayUtc } from '../format';
import { wireCommandForm } from '../forms';
import type { PanelContext } from '../ui';
import { categoryWords, holdReasonWords, placementTypeWords, resignationReasonWords, wordFor } from '../../../shared/words';

export interface CarerRecord {
  householdId: string;
  status: string;
  approval: { category: string; approvedBeds: number } | null;
  approvalTerms: Array<{ at: string; approvedBeds: number; category: string }>;
  placements: Placement[];
  holds: Hold[];
  /** `note`: what the manager wrote, in the answer to managers only (kept with the contact details). */
  riskFlags: Array<RiskFlag & { note?: string }>;
}

/** Today's steps are sent without a time (the API stamps now); an earlier date is recorded at midday. */
const occurredAtFor = (day: string): string | undefined => (day === '' || day >= todayUtc() ? undefined : `${day}T12:00:00Z`);

type Moved = (eventId: string, said: string) => void;

export function carerActions(household: CarerRecord, context: PanelContext, moved: Moved): HTMLElement {
  const resigned = household.status === 'resigned';
  const path = (step: string) => `/households/${encodeURIComponent(household.householdId)}/${step}`;
  /** One command form: its controls, a date, and a button; `body` reads the controls when it is sent. */
  const form = (
    name: string,
    label: string,
    said: string,
    method: 'POST' | 'DELETE',
    stepPath: string,
    controls: HTMLElement[],
    body: () => Record<string, unknown>,
  ) => {
    const on = h('input', { type: 'date', name: 'occurredAt', value: todayUtc(), max: todayUtc() });
    const element = h(
      'form',
      { class: 'step', 'data-step': name, 'aria-label': label },
      controls,
      field('On', on),
      h('button', { type: 'submit' }, label),
    );
    wireCommandForm({
      form: element,
      send: async (idempotencyKey) => {
        const occurredAt = occurredAtFor(on.value);
        const answer = await context.api.send<{ eventId: string }>(
          method,
          path(stepPath),
          { ...body(), ...(occurredAt ? { occurredAt } : {}) },
          idempotencyKey,
        );
        moved(answer.eventId, said);
      },
    });
    return element;
  };

  const terms = household.approvalTerms.at(-1) ?? household.approval;
  const active = <T extends { endedAt?: string; startedAt?: string }>(spans: T[]) =>
    spans.filter((s) => s.startedAt !== undefined && s.endedAt === undefined);
  const placements = active(household.placements);
  const holds = active(household.holds);
  const flag = household.riskFlags.filter((f) => f.clearedAt === undefined).at(-1);

  const endPlacement = (p: Placement) =>
    form(
      `end-placement-${p.placementId}`,
      'End placement',
      'Placement ended.',
      'POST',
      `placements/${encodeURIComponent(p.placementId)}/end`,
      [h('p', { class: 'what' }, `${wordFor(placementTypeWords, p.placementType ?? 'unspecified')}, since ${date(p.startedAt)}`)],
      () => ({}),
    );
  const endHold = (hold: Hold) =>
    form(
      `end-hold-${hold.holdId}`,
      'End hold',
      'Hold ended.',
      'POST',
      `holds/${encodeURIComponent(hold.holdId)}/end`,
      [
        h(
          'p',
          { class: 'what' },
          `${wordFor(holdReasonWords, hold.reason)}${hold.beds ? `, ${plural(hold.beds, 'bed')}` : ', all vacant beds'}, since ${date(hold.startedAt)}`,
        ),
      ],
      () => ({}),
    );

  const sections: Array<HTMLElement | null> = [
    h(
      'div',
      { class: 'current' },
      h('p', {}, terms ? `Approved for ${plural(terms.approvedBeds, 'bed')} · ${wordFor(categoryWords, terms.category)}` : 'Approved'),
      h(
        'p',
        {},
        `${plural(placements.length, 'child', 'children')} placed · ${holds.length === 0 ? 'no beds on hold' : `${plural(holds.length, 'hold')} in force`}`,
      ),
      flag
        ? h(
            'p',
            { class: 'flagged' },
            `Flagged as likely to resign: ${wordFor(resignationReasonWords, flag.reason)} (${Math.round(flag.likelihood * 100)}%), since ${date(flag.at)}`,
          )
        : null,
      flag?.note ? h('p', { class: 'flag-note' }, `Note: ${flag.note}`) : null,
    ),
  ];
  if (placements.length > 0 || holds.length > 0) {
    sections.push(
      h('div', { class: 'steps', 'aria-label': 'Placements and holds in force' }, placements.map(endPlacement), holds.map(endHold)),
    );
  }
  if (!resigned) {
    const approvedBeds = h('input', {
      type: 'number',
      name: 'approvedBeds',
      min: 0,
      max: 20,
      value: terms?.approvedBeds ?? 1,
      inputmode: 'numeric',
    });
    const category = select('category', [['', 'Unchanged'], ...Object.entries(categoryWords)], '');
    const placementType = select(
      'placementType',
      [['', 'Not recorded'], ...Object.entries(placementTypeWords).filter(([type]) => type !== 'unspecified')],
      'time_limited',
    );
    const holdReason = h(
      'select',
      { name: 'reason' },
      h(
        'optgroup',
        { label: 'The carer asked' },
        (['carer_health', 'carer_family', 'carer_break', 'carer_building_work'] as const).map((r) =>
          h('option', { value: r }, holdReasonWords[r]),
        ),
      ),
      h(
        'optgroup',
        { label: 'The service decided' },
        (['standards_of_care', 'allegation', 'matching'] as const).map((r) => h('option', { value: r }, holdReasonWords[r])),
      ),
    );
    const holdBeds = h('input', { type: 'number', name: 'beds', min: 1, max: 20, inputmode: 'numeric', placeholder: 'all vacant' });
    const riskReason = select('reason', Object.entries(resignationReasonWords), 'retirement');
    const likelihood = h('input', { type: 'number', name: 'likelihood', min: 0, step: 5, value: 50, inputmode: 'numeric' });
    const note = h('input', { type: 'text', name: 'note', maxlength: 500, autocomplete: 'off' });
    const resignationReason = select('reason', Object.entries(resignationReasonWords), 'retirement');
    const initiatedBy = select(
      'initiatedBy',
      [
        ['carer', 'The carer'],
        ['agency', 'The agency'],
      ],
      'carer',
    );
    sections.push(
      h(
        'div',
        { class: 'steps' },
        form(
          'placement',
          'Record a placement',
          'Placement recorded.',
          'POST',
          'placements',
          [field('Type of placement', placementType)],
          () => (placementType.value ? { placementType: placementType.value } : {}),
        ),
        form(
          'hold',
          'Put beds on hold',
          'Beds put on hold.',
          'POST',
          'holds',
          [field('Hold reason', holdReason), field('Beds held', holdBeds, 'Empty: every vacant bed')],
          () => ({ reason: holdReason.value, ...(holdBeds.value ? { beds: Number(holdBeds.value) } : {}) }),
        ),
        form(
          'approval-change',
          'Change the approval',
          'Approval changed.',
          'POST',
          'approval-change',
          [field('Approved beds', approvedBeds), field('Carer category', category)],
          () => ({ approvedBeds: Number(approvedBeds.value), ...(category.value ? { category: category.value } : {}) }),
        ),
        flag
          ? form('clear-risk', 'Clear the risk flag', 'Resignation risk cleared.', 'DELETE', 'resignation-risk', [], () => ({}))
          : form(
              'risk',
              'Flag as likely to resign',
              'Flagged as likely to resign.',
              'POST',
              'resignation-risk',
              [
                field('Likely reason', riskReason),
                field('Likelihood (%)', likelihood, '0 to 100'),
                field('Note', note, 'Seen by managers only; erased with the contact details'),
              ],
              // Percent on the page, 0–1 in the API; a note only when one is written.
              () => ({
                reason: riskReason.value,
                likelihood: likelihood.value === '' ? undefined : Number(likelihood.value) / 100,
                ...(note.value.trim() ? { note: note.value.trim() } : {}),
              }),
            ),
        form(
          'resignation',
          'Record resignation',
          'Resignation recorded.',
          'POST',
          'resignation',
          [field('Reason', resignationReason), field('Who ended it', initiatedBy)],
          () => ({ reason: resignationReason.value, initiatedBy: initiatedBy.value }),
        ),
      ),
    );
  }
  return h(
    'section',
    { class: 'move-on carer', 'aria-labelledby': `carer-${household.householdId}` },
    h('h4', { id: `carer-${household.householdId}` }, resigned ? 'Complete the record' : 'As approved foster carers'),
    sections,
  );
}
