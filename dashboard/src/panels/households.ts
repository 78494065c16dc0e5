// Households: the recruitment team logs an enquiry and moves a household on (initial visit,
// assessment, approval, or closure with its reason); everyone but regional readers opens a
// household's record and timeline. Contact details appear only when the API sends them (recruitment).
import type { householdView } from '../../../shared/domain/household-view';
import type { Api } from '../api';
import { field, h, replaceChildren, select, uid } from '../dom';
import { date, plural, todayUtc } from '../format';
import { wireCommandForm } from '../forms';
import { errorMessage, panelShell, type Panel, type PanelContext } from '../ui';
import { carerActions } from './carer-forms';
import { councilsOfHub } from '../hub';
import {
  categoryWords,
  channelWords,
  closureAfterApplicationWords,
  closureBeforeApplicationWords,
  closureWords,
  contactMethodWords,
  contactOutcomeWords,
  eventWords,
  holdReasonWords,
  interestInWords,
  interestWords,
  placementTypeWords,
  resignationReasonWords,
  stageWords,
  statusWords,
  wordFor,
} from '../../../shared/words';

type TimelineEntry = { eventId: string; type: string; occurredAt: string } & Record<string, unknown>;
type HouseholdRecord = Omit<ReturnType<typeof householdView>, 'timeline'> & {
  timeline: TimelineEntry[];
  /** A hub's household: the member council its postcode district suggests (the API's, from the region file). */
  suggestedCouncil: string | null;
  contact?: {
    name: string;
    email?: string;
    phone?: string;
    preferredContact?: { method: string; timeOfDay?: string };
    consentedAt?: string;
  } | null;
};

const preferredWords: Record<string, string> = {
  phone: 'a phone call',
  email: 'email',
  text: 'a text message',
  morning: 'in the morning',
  afternoon: 'in the afternoon',
  evening: 'in the evening',
  any: 'at any time',
};

/** Only ids are remembered on this device, never names or contact details. */
const recentKey = (scope: string) => `fostering-dashboard-recent-households:${scope}`;

export function householdsPanel(context: PanelContext): Panel & { open(householdId: string): void } {
  const canRecruit = context.session.groups.includes('recruitment');
  const { element, body } = panelShell(
    'households',
    'Households',
    canRecruit
      ? 'Log a new enquiry, then move the household on as it progresses. Every step is recorded with its date.'
      : "Open a household's record to see where it has got to and its timeline.",
  );
  const scope = context.session.agencyId ?? '';
  const record = h('div', { class: 'record' });
  let current: string | undefined;

  // Each household by its reference, as staff say it (an entry kept by an older page has its id only).
  type Recent = { id: string; reference: string | null };
  const recent = (): Recent[] =>
    (JSON.parse(localStorage.getItem(recentKey(scope)) ?? '[]') as Array<string | Recent>).map((r) =>
      typeof r === 'string' ? { id: r, reference: null } : r,
    );
  const remember = (id: string, reference: string | null) =>
    localStorage.setItem(recentKey(scope), JSON.stringify([{ id, reference }, ...recent().filter((r) => r.id !== id)].slice(0, 8)));
  const recentList = h('ul', { class: 'plain recent' });
  const drawRecent = () =>
    replaceChildren(
      recentList,
      recent().map(({ id, reference }) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'link', 'aria-label': `Open household ${reference ?? id}`, onclick: () => void open(id) },
            reference ?? id,
          ),
        ),
      ),
    );

  const open = async (householdId: string, waitForEvent?: string): Promise<void> => {
    current = householdId;
    replaceChildren(record, h('p', { class: 'loading' }, 'Loading the household…'));
    try {
      const household = await fetchHousehold(context.api, householdId, waitForEvent);
      // Another household was opened meanwhile (showing the panel reopens the last one, then the one
      // asked for opens): only the latest may draw, whichever answer comes back last.
      if (current !== householdId) return;
      remember(householdId, household.reference);
      drawRecent();
      replaceChildren(
        record,
        renderRecord(household, context, canRecruit, (eventId, said) => {
          context.announce(said);
          void open(householdId, eventId);
        }),
      );
      // After a step, the button pressed is gone: keyboard focus goes to the record it changed.
      if (waitForEvent) record.querySelector<HTMLElement>('h3')?.focus();
    } catch (error) {
      if (current !== householdId) return;
      replaceChildren(record, h('p', { class: 'error', role: 'alert' }, `Could not open household ${householdId}: ${errorMessage(error)}`));
    }
  };
  const lookupId = h('input', { type: 'text', name: 'reference', required: true, autocomplete: 'off', spellcheck: 'false' });
  const lookup = h(
    'form',
    { class: 'inline', 'aria-label': 'Open a household' },
    field('Reference', lookupId, 'e.g. CAMBS-2019-0042'),
    h('button', { type: 'submit', class: 'secondary' }, 'Open'),
  );
  lookup.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = lookupId.value.trim();
    if (!text) return;
    // By its reference; failing that, as another system's household id.
    void (async () => {
      const { households } = await context.api.get<{ households: Array<{ householdId: string; reference: string | null }> }>(
        '/households',
        { q: text },
      );
      const match = households.find((m) => m.reference === text.toUpperCase()) ?? households[0];
      void open(match?.householdId ?? text);
    })().catch((error: unknown) => replaceChildren(record, h('p', { class: 'error', role: 'alert' }, errorMessage(error))));
  });

  body.append(
    h(
      'div',
      { class: 'columns households' },
      h(
        'div',
        {},
        canRecruit ? enquiryForm(context, (householdId, eventId) => void open(householdId, eventId)) : null,
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'find-household' },
          h('h3', { id: 'find-household' }, 'Find a household'),
          lookup,
          h('h4', {}, 'Opened recently on this device'),
          recentList,
        ),
      ),
      record,
    ),
  );
  drawRecent();
  return {
    id: 'households',
    title: 'Households',
    element,
    open: (householdId) => void open(householdId),
    show: async () => {
      if (current) await open(current);
      else
        replaceChildren(
          record,
          h(
            'p',
            { class: 'empty' },
            canRecruit ? 'Log an enquiry or open a household to see its record.' : 'Open a household to see its record.',
          ),
        );
    },
  };
}

/** Reads the household; after a command, until its event shows (the projection is eventually consistent). */
async function fetchHousehold(api: Api, householdId: string, waitForEvent?: string): Promise<HouseholdRecord> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const household = await api.get<HouseholdRecord>(`/households/${encodeURIComponent(householdId)}`);
      if (!waitForEvent || household.timeline.some((entry) => entry.eventId === waitForEvent) || Date.now() > deadline) return household;
    } catch (error) {
      // A new enquiry is 404 until its first event is projected.
      if (!waitForEvent || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Today's steps are sent without a time (the API stamps now); an earlier date is recorded at midday. */
const occurredAtFor = (day: string): string | undefined => (day === '' || day >= todayUtc() ? undefined : `${day}T12:00:00Z`);

function enquiryForm(context: PanelContext, opened: (householdId: string, eventId: string) => void): HTMLElement {
  const channel = select('channel', Object.entries(channelWords), 'website');
  // Campaigns by name: the agency's campaigns running on the enquiry's date (its own and those shared with it).
  const campaignId = select('campaignId', [['', 'None']], '');
  const enquiredOn = h('input', { type: 'date', name: 'occurredAt', value: todayUtc(), max: todayUtc(), required: true });
  const offerCampaigns = async () => {
    const day = enquiredOn.value || todayUtc();
    const running = (await context.campaigns.list()).filter((c) => c.startsOn <= day && (c.endsOn === null || c.endsOn >= day));
    const chosen = campaignId.value;
    campaignId.replaceChildren(
      h('option', { value: '' }, 'None'),
      ...running.map((c) => h('option', { value: c.campaignId, selected: c.campaignId === chosen }, c.name)),
    );
  };
  enquiredOn.addEventListener('change', () => void offerCampaigns().catch(() => undefined));
  void offerCampaigns().catch(() => undefined);
  const postcode = h('input', {
    type: 'text',
    name: 'postcodeDistrict',
    autocomplete: 'off',
    size: 5,
    pattern: '[A-Za-z]{1,2}[0-9][0-9A-Za-z]?',
  });
  const name = h('input', { type: 'text', name: 'contact.name', required: true, autocomplete: 'off' });
  const email = h('input', { type: 'email', name: 'contact.email', autocomplete: 'off' });
  const phone = h('input', { type: 'tel', name: 'contact.phone', autocomplete: 'off' });
  const interests = Object.entries(interestWords).map(([value, label]) => {
    const id = uid('interest');
    return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name: 'interests', value }), h('label', { for: id }, label));
  });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'log-enquiry' },
    h('h3', { id: 'log-enquiry' }, 'Log an enquiry'),
    h(
      'div',
      { class: 'grid-2' },
      field('Enquired on', enquiredOn),
      field('How they heard', channel),
      field('Campaign', campaignId, 'The campaign that brought it, if any'),
      field('Postcode district', postcode, 'First half only, e.g. CB4'),
    ),
    h('fieldset', { 'data-name': 'interests' }, h('legend', {}, 'Would like to offer'), h('div', { class: 'checks' }, interests)),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Contact details (seen only by the recruitment team)'),
      h('div', { class: 'grid-3' }, field('Name', name), field('Email', email), field('Phone', phone)),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Log enquiry')),
  );
  wireCommandForm({
    form,
    send: async (idempotencyKey) => {
      const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="interests"]:checked')].map((box) => box.value);
      const answer = await context.api.send<{ eventId: string; householdId: string }>(
        'POST',
        '/enquiries',
        {
          channel: channel.value,
          ...(campaignId.value ? { campaignId: campaignId.value } : {}),
          ...(chosen.length ? { interests: chosen } : {}),
          ...(postcode.value.trim() ? { postcodeDistrict: postcode.value.trim().toUpperCase() } : {}),
          ...(occurredAtFor(enquiredOn.value) ? { occurredAt: occurredAtFor(enquiredOn.value) } : {}),
          contact: {
            name: name.value.trim(),
            ...(email.value.trim() ? { email: email.value.trim() } : {}),
            ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
          },
        },
        idempotencyKey,
      );
      context.announce('Enquiry logged.');
      for (const input of [name, email, phone, postcode]) input.value = '';
      opened(answer.householdId, answer.eventId);
    },
  });
  return form;
}

function renderRecord(
  household: HouseholdRecord,
  context: PanelContext,
  canRecruit: boolean,
  moved: (eventId: string, said: string) => void,
): HTMLElement {
  const { stages } = household;
  const open = household.status === 'open';
  // Whoever records steps may correct one recorded by mistake.
  const canCorrect = canRecruit || context.session.groups.includes('manager');
  return h(
    'article',
    {
      class: 'card household',
      'data-household': household.householdId,
      'data-status': household.status,
      'data-stage': household.stage ?? '',
    },
    h(
      'header',
      {},
      // By its reference, as staff say it on the phone; the id for a household without one.
      household.reference
        ? h('h3', { tabindex: -1 }, 'Household ', h('span', { class: 'reference' }, household.reference))
        : h('h3', { tabindex: -1 }, 'Household ', h('code', {}, household.householdId)),
      h(
        'p',
        { class: `status status-${household.status}` },
        statusWords[household.status],
        household.closure ? ` · ${wordFor(closureWords, household.closure.reason)}` : '',
        household.approval
          ? ` · ${wordFor(categoryWords, household.approval.category)}, ${household.approval.approvedBeds} ${household.approval.approvedBeds === 1 ? 'bed' : 'beds'}`
          : '',
      ),
    ),
    h(
      'ol',
      { class: 'stages', 'aria-label': 'Stages reached' },
      (
        [
          ['enquiry', stages.enquiryAt],
          ['initialVisit', stages.initialVisitAt],
          ['assessment', stages.assessmentAt],
          ['approved', stages.approvedAt],
        ] as const
      ).map(([stage, at]) =>
        h(
          'li',
          { class: at ? 'reached' : 'not-reached', 'data-stage': stage },
          h('span', { class: 'stage-name' }, stageWords[stage]),
          h('span', { class: 'stage-date' }, at ? date(at) : 'not yet'),
        ),
      ),
    ),
    household.enquiry?.webForm ? h('p', { class: 'hint' }, 'Web enquiry: sent by the enquirer through the service’s form.') : null,
    household.possibleDuplicateOf.length > 0
      ? h(
          'p',
          { class: 'possible-duplicate' },
          'Possible duplicate: the same email or phone as ',
          household.possibleDuplicateOf.map((other) => other.reference ?? other.householdId).join(', '),
          '. Close it as a duplicate, or record that it is not one.',
        )
      : null,
    household.contact !== undefined ? contactBlock(household.contact) : null,
    canRecruit && open ? moveOn(household, context, moved) : null,
    context.session.groups.includes('manager') && (household.status === 'approved' || household.status === 'resigned')
      ? carerActions(household, context, moved)
      : null,
    h('h4', {}, 'Timeline'),
    h(
      'ol',
      { class: 'timeline' },
      household.timeline.map((entry) => {
        const item = h(
          'li',
          { 'data-event': entry.type, 'data-event-id': entry.eventId, class: entry.corrected ? 'corrected' : '' },
          h('time', { datetime: entry.occurredAt }, date(entry.occurredAt)),
          h('span', { class: 'what' }, `${wordFor(eventWords, entry.type)}${entry.corrected ? ' (corrected: recorded by mistake)' : ''}`),
          h('span', { class: 'details' }, describe(entry)),
          // Who recorded it, by the name the staff directory keeps (the event itself carries an opaque id).
          typeof entry.recordedBy === 'string'
            ? h(
                'span',
                { class: 'recorded-by' },
                `recorded by ${typeof entry.recordedByName === 'string' ? entry.recordedByName : 'a member of staff'}`,
              )
            : null,
        );
        if (canCorrect && correctable(entry)) item.append(correctionForm(household, entry, context, moved));
        return item;
      }),
    ),
  );
}

function contactBlock(contact: HouseholdRecord['contact']): HTMLElement {
  if (!contact) return h('p', { class: 'contact' }, 'Contact details: erased.');
  return h(
    'dl',
    { class: 'contact', 'aria-label': 'Contact details' },
    h('div', {}, h('dt', {}, 'Name'), h('dd', {}, contact.name)),
    contact.email ? h('div', {}, h('dt', {}, 'Email'), h('dd', {}, contact.email)) : null,
    contact.phone ? h('div', {}, h('dt', {}, 'Phone'), h('dd', {}, contact.phone)) : null,
    contact.preferredContact
      ? h(
          'div',
          {},
          h('dt', {}, 'Prefers'),
          h(
            'dd',
            {},
            [contact.preferredContact.method, contact.preferredContact.timeOfDay]
              .filter((code): code is string => Boolean(code))
              .map((code) => preferredWords[code] ?? code)
              .join(', '),
          ),
        )
      : null,
    contact.consentedAt ? h('div', {}, h('dt', {}, 'Agreed to be contacted'), h('dd', {}, date(contact.consentedAt))) : null,
  );
}

/** The recruitment steps, each its own small form sharing the date the step happened on. */
function moveOn(household: HouseholdRecord, context: PanelContext, moved: (eventId: string, said: string) => void): HTMLElement {
  const on = h('input', { type: 'date', name: 'occurredAt', value: todayUtc(), max: todayUtc() });
  const path = (step: string) => `/households/${encodeURIComponent(household.householdId)}/${step}`;
  const step = (
    label: string,
    stepPath: string,
    said: string,
    controls: HTMLElement[],
    body: () => Record<string, unknown>,
    name: string,
  ) => {
    const form = h('form', { class: 'step', 'data-step': name, 'aria-label': label }, controls, h('button', { type: 'submit' }, label));
    wireCommandForm({
      form,
      send: async (idempotencyKey) => {
        const occurredAt = occurredAtFor(on.value);
        const answer = await context.api.send<{ eventId: string }>(
          'POST',
          path(stepPath),
          { ...body(), ...(occurredAt ? { occurredAt } : {}) },
          idempotencyKey,
        );
        moved(answer.eventId, said);
      },
    });
    return form;
  };

  const prospectiveBeds = h('input', {
    type: 'number',
    name: 'prospectiveBeds',
    min: 1,
    max: 9,
    value: household.prospectiveBeds ?? 1,
    inputmode: 'numeric',
  });
  const category = select('category', Object.entries(categoryWords), 'mainstream');
  const approvedBeds = h('input', {
    type: 'number',
    name: 'approvedBeds',
    min: 1,
    max: 9,
    value: household.prospectiveBeds ?? 1,
    inputmode: 'numeric',
  });
  const applied = household.stages.assessmentAt !== null;
  const reason = h(
    'select',
    { name: 'reason' },
    h(
      'optgroup',
      { label: 'Before an application' },
      Object.entries(closureBeforeApplicationWords).map(([value, label]) => h('option', { value }, label)),
    ),
    h(
      'optgroup',
      { label: 'After an application (Ofsted codes)' },
      Object.entries(closureAfterApplicationWords).map(([value, label]) => h('option', { value }, label)),
    ),
  );
  const marked = household.possibleDuplicateOf.length > 0;
  reason.value = applied ? 'AW0' : marked ? 'duplicate' : 'not_proceeding';
  // A hub's team hands the household over to one of its councils, which takes it on from there; the
  // council its postcode district suggests comes chosen, and the officer may choose another.
  const councils = councilsOfHub(context.session.agencyId);
  const suggested =
    household.suggestedCouncil !== null && councils.includes(household.suggestedCouncil) ? household.suggestedCouncil : undefined;
  const council = select(
    'toAgencyId',
    councils.map((id) => [id, id]),
    suggested ?? councils[0],
  );
  const councilHint = suggested
    ? `Suggested from the postcode ${household.enquiry?.postcodeDistrict ?? ''}`
    : 'None suggested: no postcode, or one the region does not list';

  return h(
    'section',
    { class: 'move-on', 'aria-labelledby': 'move-on' },
    h('h4', { id: 'move-on' }, 'Move this household on'),
    field('Date of the step', on, 'Today unless it happened earlier'),
    h(
      'div',
      { class: 'steps' },
      household.stages.initialVisitAt === null
        ? step('Record initial visit', 'initial-visit', 'Initial visit recorded.', [], () => ({}), 'initial-visit')
        : null,
      !applied
        ? step(
            'Start assessment',
            'assessment',
            'Assessment started.',
            [field('Beds they could offer', prospectiveBeds)],
            () => ({ prospectiveBeds: Number(prospectiveBeds.value) }),
            'assessment',
          )
        : null,
      step(
        'Approve',
        'approval',
        'Household approved.',
        [field('Carer category', category), field('Approved beds', approvedBeds)],
        () => ({ category: category.value, approvedBeds: Number(approvedBeds.value) }),
        'approval',
      ),
      step('Close', 'closure', 'Enquiry closed.', [field('Reason', reason)], () => ({ reason: reason.value }), 'closure'),
      marked ? step('Not a duplicate', 'not-duplicate', 'Marked as not a duplicate.', [], () => ({}), 'not-duplicate') : null,
      councils.length > 0
        ? step(
            'Hand over',
            'handover',
            'Handed over to the council.',
            [field('To the council', council, councilHint)],
            () => ({ toAgencyId: council.value }),
            'handover',
          )
        : null,
    ),
  );
}

/** Steps a correction can take back (docs/rules.md, corrections): not the enquiry, a referral or a correction. */
const correctable = (entry: TimelineEntry) =>
  !entry.corrected && !['EnquiryReceived', 'EnquiryReferredOn', 'StepCorrected', 'ReferralRewardDue'].includes(entry.type);

/** "Recorded by mistake": asks before it corrects, and says what it will do. */
function correctionForm(
  household: HouseholdRecord,
  entry: TimelineEntry,
  context: PanelContext,
  moved: (eventId: string, said: string) => void,
): HTMLElement {
  const what = `${wordFor(eventWords, entry.type).toLowerCase()} of ${date(entry.occurredAt)}`;
  const confirm = h('button', { type: 'submit', class: 'secondary' }, `Yes, correct the ${what}`);
  const form = h(
    'form',
    { class: 'inline correction', 'aria-label': `Correct the ${what}`, hidden: true },
    h('p', {}, `The ${what} will be shown as recorded by mistake and left out of every figure. Record the right step again afterwards.`),
    confirm,
  );
  wireCommandForm({
    form,
    send: async (idempotencyKey) => {
      const answer = await context.api.send<{ eventId: string }>(
        'POST',
        `/households/${encodeURIComponent(household.householdId)}/corrections`,
        { correctedEventId: entry.eventId },
        idempotencyKey,
      );
      moved(answer.eventId, `The ${what} is corrected.`);
    },
  });
  const open = h(
    'button',
    {
      type: 'button',
      class: 'link',
      'aria-expanded': 'false',
      onclick: () => {
        form.hidden = !form.hidden;
        open.setAttribute('aria-expanded', String(!form.hidden));
        if (!form.hidden) confirm.focus();
      },
    },
    'Recorded by mistake?',
  );
  return h('span', { class: 'correct' }, open, form);
}

const text = (entry: TimelineEntry, key: string) =>
  typeof entry[key] === 'string' || typeof entry[key] === 'number' ? String(entry[key]) : undefined;

/** A timeline entry's own fields, in words. */
function describe(entry: TimelineEntry): string {
  const parts: string[] = [];
  if (entry.type === 'ContactAttempted') {
    parts.push(`${wordFor(contactMethodWords, text(entry, 'method'))}: ${wordFor(contactOutcomeWords, text(entry, 'outcome'))}`);
    if (text(entry, 'followUpOn')) parts.push(`follow up on ${date(text(entry, 'followUpOn')!)}`);
  }
  const field = (key: string) => text(entry, key);
  if (field('channel')) parts.push(`via ${wordFor(channelWords, field('channel'))}`);
  if (field('campaignId')) parts.push(`campaign ${field('campaignId')}`);
  if (Array.isArray(entry.interests) && entry.interests.length)
    parts.push(`would offer: ${(entry.interests as string[]).map((i) => interestInWords(i)).join(', ')}`);
  if (field('postcodeDistrict')) parts.push(`${field('postcodeDistrict')}`);
  if (typeof entry.prospectiveBeds === 'number') parts.push(`could offer ${plural(entry.prospectiveBeds, 'bed')}`);
  if (field('category')) parts.push(wordFor(categoryWords, field('category')));
  if (typeof entry.approvedBeds === 'number') parts.push(`${plural(entry.approvedBeds, 'approved bed')}`);
  if (entry.type === 'EnquiryClosed' && field('reason')) parts.push(wordFor(closureWords, field('reason')));
  if (entry.type === 'HoldStarted' && field('reason')) parts.push(wordFor(holdReasonWords, field('reason')));
  if (entry.type === 'HouseholdResigned' && field('reason')) parts.push(wordFor(resignationReasonWords, field('reason')));
  if (entry.type === 'ResignationRiskFlagged' && field('reason'))
    parts.push(
      `${wordFor(resignationReasonWords, field('reason'))}${typeof entry.likelihood === 'number' ? ` (likelihood ${Math.round(entry.likelihood * 100)}%)` : ''}`,
    );
  if (field('placementType')) parts.push(wordFor(placementTypeWords, field('placementType')));
  if (field('toAgencyId')) parts.push(`to ${field('toAgencyId')}`);
  if (typeof entry.beds === 'number' && entry.type === 'HoldStarted') parts.push(plural(entry.beds, 'bed'));
  return parts.join(' · ');
}
