// The agency's settings, for its service managers: the yearly attrition rate the forecast assumes,
// the in-house share sufficiency aims for, the timescale targets and the retention periods when the API has them; every
// change with when it was made and by whom (the token's pseudonymous id).
import { readUntil } from '../api';
import { field, h } from '../dom';
import { date, percent } from '../format';
import { wireCommandForm } from '../forms';
import { figures, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';

interface SettingsChange {
  eventId: string;
  occurredAt: string;
  changedBy?: string;
  [setting: string]: unknown;
}
interface SettingsAnswer {
  agencyId: string;
  changedAt: string | null;
  history: SettingsChange[];
  [setting: string]: unknown;
}

/** What each setting is, in the service's words; a share is shown and typed as a percentage. */
const settings = [
  {
    key: 'attritionRate',
    label: 'Carers leaving in a year (%)',
    hint: "the forecast's baseline: the share of approved households expected to resign each year",
    share: true,
  },
  {
    key: 'targetInHouseShare',
    label: 'Target share fostered in house (%)',
    hint: 'sufficiency counts the beds still needed to reach it',
    share: true,
  },
  { key: 'firstResponseWorkingDays', label: 'First response (working days)', hint: 'after the enquiry', share: false },
  { key: 'initialVisitWorkingDays', label: 'Initial visit (working days)', hint: 'after the enquiry', share: false },
  { key: 'applicationToApprovalDays', label: 'Application to approval (days)', hint: "the assessment's timescale", share: false },
  // How long contact details are kept; the API refuses a period shorter than the law allows, naming it.
  { key: 'enquiryRetentionDays', label: 'Keep an enquiry’s details (days)', hint: 'after it closed without an application', share: false },
  {
    key: 'applicantRetentionDays',
    label: 'Keep an applicant’s details (days)',
    hint: 'after the application was withdrawn or refused (reg. 32: at least three years)',
    share: false,
  },
  {
    key: 'carerRetentionDays',
    label: 'Keep a carer’s details (days)',
    hint: 'after the approval ended (reg. 32: at least ten years)',
    share: false,
  },
] as const;

const shown = (share: boolean, value: unknown): string => (typeof value !== 'number' ? '—' : share ? percent(value, 1) : String(value));

export function settingsPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'settings',
    'Agency settings',
    'What the forecast and the sufficiency figures assume for this agency, and every change to it.',
  );
  const results = h('div', { class: 'results' });
  const load = (waitForChangeAfter?: string | null) =>
    loadInto(results, async () => {
      const read = () => context.api.get<SettingsAnswer>('/agency/settings');
      const answer =
        waitForChangeAfter === undefined
          ? await read()
          : await readUntil(read, (a) => a.history.length > 0 && a.changedAt !== waitForChangeAfter);
      return render(answer, context, (changedAt) => void load(changedAt));
    });
  body.append(results);
  return { id: 'settings', title: 'Settings', element, show: () => load() };
}

function render(answer: SettingsAnswer, context: PanelContext, changed: (before: string | null) => void): Node[] {
  // Only the settings this API has: the timescale targets appear once it answers with them.
  const known = settings.filter((s) => typeof answer[s.key] === 'number');
  const inputs = known.map((s) => {
    const value = answer[s.key] as number;
    return {
      setting: s,
      input: h('input', {
        type: 'number',
        name: s.key,
        required: true,
        inputmode: 'decimal',
        ...(s.share ? { min: 0, max: 100, step: 0.1, value: Math.round(value * 1000) / 10 } : { min: 0, step: 1, value }),
      }),
    };
  });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'change-settings' },
    h('h3', { id: 'change-settings' }, 'Change the settings'),
    h(
      'div',
      { class: 'grid-2' },
      inputs.map(({ setting, input }) => field(setting.label, input, setting.hint)),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save settings')),
  );
  wireCommandForm({
    form,
    send: async (idempotencyKey) => {
      // PUT replaces them all: every setting is sent, changed or not.
      const body = Object.fromEntries(
        inputs.map(({ setting, input }) => [setting.key, setting.share ? Number(input.value) / 100 : Number(input.value)]),
      );
      await context.api.send('PUT', '/agency/settings', body, idempotencyKey);
      context.announce('Settings saved.');
      changed(answer.changedAt);
    },
  });
  const history = [...answer.history].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return [
    figures(
      known.map((s) => ({
        field: s.key,
        label: s.label.replace(/ \((%|working days|days)\)$/, ''),
        value: answer[s.key] as number,
        text: shown(s.share, answer[s.key]),
        hint: s.hint,
      })),
      'Settings in force',
    ),
    h('p', { class: 'hint' }, answer.changedAt ? `In force since ${date(answer.changedAt)}.` : 'Never changed: these are the defaults.'),
    form,
    table<SettingsChange>(
      'Every change, newest first',
      [
        { heading: 'Changed on', cell: (c) => date(c.occurredAt) },
        ...known.map((s) => ({ heading: s.label, numeric: true, field: s.key, cell: (c: SettingsChange) => shown(s.share, c[s.key]) })),
        { heading: 'By (staff id)', cell: (c) => c.changedBy ?? '—' },
      ],
      history,
      { rowKey: (c) => c.eventId, empty: 'no change yet.' },
    ),
  ];
}
