// Today's work (docs/rules.md, the working day): the recruitment team's first page. What is due and overdue today, a search
// box (reference for everyone; name, email or phone for recruitment), and from each household one
// click to its next step: record a call and its outcome (booking the follow-up), or the visit.
// Managers see the same list without names, and the timeliness figures against the targets.
import type { CaseloadEntry } from '../../../shared/domain/caseload';
import type { FollowUpState, NextAction } from '../../../shared/domain/follow-up';
import { field, h, select } from '../dom';
import { count, date, percent, todayUtc } from '../format';
import { wireCommandForm } from '../forms';
import { errorMessage, figures, loadInto, panelShell, type Panel, type PanelContext } from '../ui';
import { contactMethodWords as methodWords, contactOutcomeWords as outcomeWords, statusWords, wordFor } from '../../../shared/words';

type Row = Omit<CaseloadEntry, 'agencyId'> & { name?: string | null };
/** One answer of GET /households?q= (shared/queries/find-households.ts, not imported: it reads DynamoDB). */
interface HouseholdMatch {
  householdId: string;
  reference: string | null;
  status: string;
  enquiredOn: string | null;
  name?: string | null;
}
interface CaseloadCounts {
  open: number;
  overdue: number;
  dueToday: number;
  byState: Partial<Record<FollowUpState, number>>;
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
/** How long an enquiry counts as new on the first page: a fortnight. */
const NEW_ENQUIRY_DAYS = 14;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const needsDate: ReadonlySet<string> = new Set(['callback_requested', 'not_ready_yet']);
/** A step dated today is recorded now; an earlier day at noon (UTC) of that day. */
const occurredAtFor = (day: string): { occurredAt?: string } => (day === '' || day >= todayUtc() ? {} : { occurredAt: `${day}T12:00:00Z` });

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

  /** The figures are the caseload's own counts (GET /metrics/caseload), never counts of a page. */
  const reload = async (): Promise<void> => {
    await loadInto(list, async () => {
      const today = todayUtc();
      const counts = await context.api.get<CaseloadCounts>('/metrics/caseload', { on: today });
      const waiting = counts.byState.awaiting_first_response ?? 0;
      return [
        figures(
          [
            { field: 'overdue', label: 'Overdue', value: counts.overdue, text: count(counts.overdue), emphasis: true },
            { field: 'dueToday', label: 'Due today', value: counts.dueToday, text: count(counts.dueToday) },
            { field: 'awaitingFirstResponse', label: 'New, not yet answered', value: waiting, text: count(waiting) },
            { field: 'open', label: 'Open households', value: counts.open, text: count(counts.open) },
          ],
          "Today's work in figures",
        ),
        // New enquiries first: a first response is what wins or loses a household, and years of
        // backlog must never bury this morning's enquiry (docs/decisions.md, the work list's order).
        // Those of the last fortnight; older ones still unanswered are among the overdue.
        pagedList(
          'New enquiries to answer',
          { on: today, nextAction: 'first_response', enquiredSince: addDays(today, -NEW_ENQUIRY_DAYS) },
          'every new enquiry has had a first response.',
        ),
        workListWithFilter(today),
      ];
    });
  };

  /** The rest of the work, by the filter a team works by; every open household is one choice away. */
  const workListWithFilter = (today: string): HTMLElement => {
    const choices: Array<[string, string, Record<string, string>]> = [
      ['overdue', 'Overdue', { overdue: 'true' }],
      ['today', 'Due today', { dueOn: today }],
      ['initial_visit', 'Initial visits to arrange', { nextAction: 'initial_visit' }],
      ['follow_up', 'Follow-up calls', { nextAction: 'follow_up' }],
      ['decision', 'Assessments awaiting a decision', { nextAction: 'decision' }],
      ['all', 'Every open household', {}],
    ];
    const show = select(
      'show',
      choices.map(([value, text]) => [value, text]),
      'overdue',
    );
    const holder = h('div', {});
    const render = () => {
      const [, caption, filter] = choices.find(([value]) => value === show.value)!;
      holder.replaceChildren(pagedList(caption, { on: today, ...filter }, 'nothing here today.'));
    };
    show.addEventListener('change', render);
    render();
    return h('section', { class: 'card', 'aria-label': 'The work list' }, h('div', { class: 'inline' }, field('Show', show)), holder);
  };

  /** One list of the caseload, 100 a page, with the pages before and after it. */
  const pagedList = (caption: string, query: Record<string, string>, empty: string): HTMLElement => {
    const section = h('section', { class: 'card', 'aria-label': caption });
    const cursors: Array<string | undefined> = [undefined];
    const load = async (page: number): Promise<void> => {
      await loadInto(section, async () => {
        const cursor = cursors[page];
        const answer = await context.api.get<{ households: Row[]; next: string | null }>('/caseload', {
          ...query,
          ...(cursor ? { cursor } : {}),
        });
        if (answer.next) cursors[page + 1] = answer.next;
        const pager = h(
          'nav',
          { class: 'pager', 'aria-label': `${caption}: pages` },
          h('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => void load(page - 1) }, 'Previous page'),
          h('span', {}, ` Page ${page + 1} `),
          h('button', { type: 'button', class: 'secondary', disabled: !answer.next, onclick: () => void load(page + 1) }, 'Next page'),
        );
        return [workList(caption, answer.households, empty), ...(page > 0 || answer.next ? [pager] : [])];
      });
    };
    void load(0);
    return section;
  };

  const workList = (caption: string, rows: Row[], empty: string): HTMLElement => {
    if (rows.length === 0) return h('p', { class: 'empty' }, `${caption}: ${empty}`);
    return h(
      'div',
      {},
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
        ...(row.webEnquiry ? { 'data-web-enquiry': 'true' } : {}),
        ...(row.possibleDuplicateOf.length > 0 ? { 'data-possible-duplicate': 'true' } : {}),
      },
      h(
        'p',
        {},
        h('button', { type: 'button', class: 'link', onclick: () => context.openHousehold(row.householdId) }, who),
        // Sent by the enquirer through the service's form, not logged by the team.
        row.webEnquiry ? h('span', { class: 'tag' }, ' · Web enquiry') : '',
        // Its email or phone matched another household's: recruitment closes it as a duplicate or clears the mark.
        row.possibleDuplicateOf.length > 0 ? h('span', { class: 'tag' }, ' · Possible duplicate') : '',
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
    const when = h('input', { type: 'date', name: 'occurredAt', value: todayUtc(), max: todayUtc(), required: true });
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
      h(
        'div',
        { class: 'grid-3' },
        field('When', when, 'The day of the call'),
        field('How', method),
        field('What happened', outcome),
        followUpField,
      ),
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
            ...occurredAtFor(when.value),
          },
          idempotencyKey,
        );
        context.announce(`Call with ${who} recorded.`);
        await reloadAndFocus(row);
      },
    });
    return form;
  };

  const visitButton = (row: Row, who: string): HTMLElement => {
    // The step's date is asked first (today unless changed), so one click never records the wrong day.
    const on = h('input', { type: 'date', name: 'occurredAt', value: todayUtc(), max: todayUtc(), required: true });
    const form = h(
      'form',
      { class: 'inline visit', 'aria-label': `Record the initial visit to ${who}` },
      field('Visited on', on),
      h('button', { type: 'submit', class: 'secondary' }, `Record the visit to ${who}`),
    );
    wireCommandForm({
      form,
      send: async (idempotencyKey) => {
        await context.api.send(
          'POST',
          `/households/${encodeURIComponent(row.householdId)}/initial-visit`,
          occurredAtFor(on.value),
          idempotencyKey,
        );
        context.announce(`Initial visit to ${who} recorded.`);
        await reloadAndFocus(row);
      },
    });
    return form;
  };

  /** The command stored the fact before answering, and the list reads what is stored: read it again. */
  const reloadAndFocus = async (row: Row): Promise<void> => {
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
