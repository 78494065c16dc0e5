// Today's work (docs/rules.md, the working day): the recruitment team's first page. What is due and overdue today, a search
// box (reference for everyone; name, email or phone for recruitment), and from each household one
// click to its next step: record a call and its outcome (booking the follow-up), or the visit.
// Managers see the same list without names, and the timeliness figures against the targets.
import type { CaseloadEntry } from '../../../shared/domain/caseload';
import type { FollowUpState, NextAction } from '../../../shared/domain/follow-up';
import type { ContactMethod, ContactOutcome } from '../../../shared/events/vocabulary';
import { field, h, select } from '../dom';
import { count, date, percent, todayUtc } from '../format';
import { wireCommandForm } from '../forms';
import { errorMessage, figures, loadInto, panelShell, type Panel, type PanelContext } from '../ui';
import { statusWords, wordFor } from '../../../shared/words';

type Row = Omit<CaseloadEntry, 'agencyId'> & { name?: string | null };
/** One answer of GET /households?q= (shared/queries/find-households.ts, not imported: it reads DynamoDB). */
interface HouseholdMatch {
  householdId: string;
  reference: string | null;
  status: string;
  enquiredOn: string | null;
  name?: string | null;
}
interface Timeliness {
  firstResponse: { households: number; withinTarget: number; rate: number | null; medianWorkingDays: number | null };
  initialVisit: { households: number; withinTarget: number; rate: number | null; medianWorkingDays: number | null };
  approval: { households: number; withinTarget: number; rate: number | null; medianDays: number | null };
}

export const followUpStateWords: Record<FollowUpState, string> = {
  approved: 'Approved',
  closed: 'Closed',
  referred_on: 'Referred on',
  in_assessment: 'In assessment',
  callback_requested: 'Asked for a call back',
  not_ready_yet: 'Not ready yet',
  visited: 'Visited',
  awaiting_first_response: 'Waiting for a first response',
  no_response_yet: 'Not reached yet',
  in_contact: 'In contact',
};
export const nextActionWords: Record<NextAction, string> = {
  first_response: 'First response',
  initial_visit: 'Initial visit',
  follow_up: 'Follow-up call',
  decision: 'Decision',
};
const methodWords: Record<ContactMethod, string> = {
  phone: 'Phone',
  email: 'Email',
  text: 'Text message',
  letter: 'Letter',
  in_person: 'In person',
};
const outcomeWords: Record<ContactOutcome, string> = {
  reached: 'Spoke to them',
  no_answer: 'No answer',
  left_message: 'Left a message',
  information_sent: 'Sent information',
  callback_requested: 'Asked for a call back',
  not_ready_yet: 'Not ready yet',
};
const needsDate: ReadonlySet<string> = new Set(['callback_requested', 'not_ready_yet']);

export function caseloadPanel(context: PanelContext): Panel {
  const canRecruit = context.session.groups.includes('recruitment');
  const { element, body } = panelShell(
    'caseload',
    "Today's work",
    canRecruit
      ? 'Who to call today, who is waiting and who is overdue. Find a household by its reference, name, email or phone.'
      : "The recruitment team's open households by when their next step is due, and how quickly the team responds.",
  );
  const list = h('div', { class: 'caseload-list', 'aria-live': 'polite' });
  const found = h('div', { class: 'search-results' });
  const timeliness = h('div', { class: 'timeliness' });

  const q = h('input', { type: 'search', name: 'q', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 100 });
  const search = h(
    'form',
    { class: 'inline', role: 'search', 'aria-label': 'Find a household' },
    field(
      'Find a household',
      q,
      canRecruit ? 'A reference (e.g. CAMBS-2019-0042), a name, an email or a phone number' : 'A reference, e.g. CAMBS-2019-0042',
    ),
    h('button', { type: 'submit', class: 'secondary' }, 'Search'),
  );
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = q.value.trim();
    if (!text) return;
    void loadInto(found, async () => {
      const answer = await context.api.get<{ households: HouseholdMatch[] }>('/households', { q: text });
      context.announce(`${answer.households.length === 1 ? 'One household' : `${count(answer.households.length)} households`} found.`);
      if (answer.households.length === 0) return [h('p', { class: 'empty' }, `No household matches “${text}”.`)];
      return [
        h(
          'ul',
          { class: 'plain matches', 'aria-label': 'Households found' },
          answer.households.map((m) =>
            h(
              'li',
              { 'data-household': m.householdId },
              h(
                'button',
                { type: 'button', class: 'link', onclick: () => context.openHousehold(m.householdId) },
                `${m.reference ?? m.householdId}${m.name ? ` · ${m.name}` : ''}`,
              ),
              ` · ${wordFor(statusWords, m.status)} · enquired ${date(m.enquiredOn)}`,
            ),
          ),
        ),
      ];
    });
  });

  const reload = async (): Promise<void> => {
    await loadInto(list, async () => {
      const today = todayUtc();
      const answer = await context.api.get<{ households: Row[]; next: string | null }>('/caseload', { on: today });
      const due = answer.households.filter((r) => r.dueOn !== null && r.dueOn <= today);
      const later = answer.households.filter((r) => !(r.dueOn !== null && r.dueOn <= today));
      return [
        figures(
          [
            {
              field: 'overdue',
              label: 'Overdue',
              value: due.filter((r) => r.overdue).length,
              text: count(due.filter((r) => r.overdue).length),
              emphasis: true,
            },
            {
              field: 'dueToday',
              label: 'Due today',
              value: due.filter((r) => !r.overdue).length,
              text: count(due.filter((r) => !r.overdue).length),
            },
            {
              field: 'open',
              label: 'Open households',
              value: answer.households.length,
              text: `${count(answer.households.length)}${answer.next ? '+' : ''}`,
            },
          ],
          "Today's work in figures",
        ),
        workList('Due today and overdue', due, 'nothing is due today.'),
        workList('Coming up', later, 'nothing else is open.'),
      ];
    });
  };

  const workList = (caption: string, rows: Row[], empty: string): HTMLElement => {
    if (rows.length === 0) return h('p', { class: 'empty' }, `${caption}: ${empty}`);
    return h(
      'section',
      { class: 'card', 'aria-label': caption },
      h('h3', {}, caption),
      h(
        'ol',
        { class: 'plain work', 'aria-label': caption },
        rows.map((row) => workItem(row)),
      ),
    );
  };

  const workItem = (row: Row): HTMLElement => {
    const who = `${row.reference ?? row.householdId}${row.name ? ` · ${row.name}` : ''}`;
    const actions = h('div', { class: 'actions' });
    const item = h(
      'li',
      {
        class: row.overdue ? 'work-item overdue' : 'work-item',
        'data-household': row.householdId,
        'data-state': row.state,
        'data-due': row.dueOn ?? '',
      },
      h(
        'p',
        {},
        h('button', { type: 'button', class: 'link', onclick: () => context.openHousehold(row.householdId) }, who),
        ` · ${followUpStateWords[row.state]}`,
        row.nextAction ? ` · ${nextActionWords[row.nextAction]} due ${date(row.dueOn)}${row.overdue ? ' (overdue)' : ''}` : '',
        ` · ${count(row.attempts)} ${row.attempts === 1 ? 'attempt' : 'attempts'}${row.lastContactOn ? `, last ${date(row.lastContactOn)}` : ''}`,
      ),
      actions,
    );
    if (canRecruit) {
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-expanded': 'false',
            onclick: (event) => {
              const button = event.currentTarget as HTMLButtonElement;
              const open = item.querySelector('form.call');
              if (open) {
                open.remove();
                button.setAttribute('aria-expanded', 'false');
                return;
              }
              button.setAttribute('aria-expanded', 'true');
              const form = callForm(row, who);
              item.append(form);
              form.querySelector<HTMLElement>('select')?.focus();
            },
          },
          `Record a call with ${who}`,
        ),
        ...(row.stage === 'enquiry' ? [visitButton(row, who)] : []),
      );
    }
    return item;
  };

  const callForm = (row: Row, who: string): HTMLFormElement => {
    const method = select('method', Object.entries(methodWords), 'phone');
    const outcome = select('outcome', Object.entries(outcomeWords), 'reached');
    const followUpOn = h('input', { type: 'date', name: 'followUpOn', min: todayUtc() });
    const followUpField = field('Follow up on', followUpOn, 'The day they asked to be contacted again');
    const showDate = () => {
      followUpField.hidden = !needsDate.has(outcome.value);
      followUpOn.required = needsDate.has(outcome.value);
    };
    outcome.addEventListener('change', showDate);
    showDate();
    const form = h(
      'form',
      { class: 'call step', 'aria-label': `Record a call with ${who}` },
      h('div', { class: 'grid-3' }, field('How', method), field('What happened', outcome), followUpField),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save the call')),
    );
    wireCommandForm({
      form,
      send: async (idempotencyKey) => {
        await context.api.send(
          'POST',
          `/households/${encodeURIComponent(row.householdId)}/contact-attempts`,
          {
            method: method.value,
            outcome: outcome.value,
            ...(needsDate.has(outcome.value) ? { followUpOn: followUpOn.value } : {}),
          },
          idempotencyKey,
        );
        context.announce(`Call with ${who} recorded.`);
        await reloadUntilMoved(row);
      },
    });
    return form;
  };

  const visitButton = (row: Row, who: string): HTMLElement => {
    const form = h(
      'form',
      { class: 'inline visit', 'aria-label': `Record the initial visit to ${who}` },
      h('button', { type: 'submit', class: 'secondary' }, `Record the visit to ${who}`),
    );
    wireCommandForm({
      form,
      send: async (idempotencyKey) => {
        await context.api.send('POST', `/households/${encodeURIComponent(row.householdId)}/initial-visit`, {}, idempotencyKey);
        context.announce(`Initial visit to ${who} recorded.`);
        await reloadUntilMoved(row);
      },
    });
    return form;
  };

  /** The list is read from the projections, a moment behind the command: read again until the row changed. */
  const reloadUntilMoved = async (row: Row): Promise<void> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await context.api.get<{ households: Row[] }>('/caseload', { on: todayUtc() });
      const now = answer.households.find((r) => r.householdId === row.householdId);
      if (!now || now.attempts !== row.attempts || now.state !== row.state || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await reload();
    list.querySelector<HTMLElement>(`[data-household="${CSS.escape(row.householdId)}"] button.link`)?.focus();
  };

  body.append(
    h('section', { class: 'card', 'aria-label': 'Search' }, search, found),
    list,
    ...(context.session.groups.includes('manager') ? [timeliness] : []),
  );

  return {
    id: 'caseload',
    title: "Today's work",
    element,
    show: async () => {
      await reload();
      if (context.session.groups.includes('manager')) await loadInto(timeliness, () => timelinessFigures(context));
    },
  };
}

/** First responses, visits and decisions against the agency's targets, over the last twelve months. */
export async function timelinessFigures(context: PanelContext, window?: { from: string; to: string }): Promise<Node[]> {
  const to = window?.to ?? todayUtc();
  const from = window?.from ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
  try {
    const t = await context.api.get<Timeliness>('/metrics/timeliness', { from, to });
    return [
      h('h3', {}, `Timeliness, ${date(from)} to ${date(to)}`),
      figures(
        [
          {
            field: 'firstResponse.rate',
            label: 'First response within target',
            value: t.firstResponse.rate,
            text: percent(t.firstResponse.rate),
            hint: `${count(t.firstResponse.withinTarget)} of ${count(t.firstResponse.households)}; median ${count(t.firstResponse.medianWorkingDays)} working days`,
          },
          {
            field: 'initialVisit.rate',
            label: 'Initial visit within target',
            value: t.initialVisit.rate,
            text: percent(t.initialVisit.rate),
            hint: `${count(t.initialVisit.withinTarget)} of ${count(t.initialVisit.households)}; median ${count(t.initialVisit.medianWorkingDays)} working days`,
          },
          {
            field: 'approval.rate',
            label: 'Approved within target',
            value: t.approval.rate,
            text: percent(t.approval.rate),
            hint: `${count(t.approval.withinTarget)} of ${count(t.approval.households)}; median ${count(t.approval.medianDays)} days from application`,
          },
        ],
        "Timeliness against the agency's targets",
      ),
    ];
  } catch (error) {
    return [h('p', { class: 'error', role: 'alert' }, `Could not load the timeliness figures: ${errorMessage(error)}`)];
  }
}
