// The dashboard: sign in, then one tab per question the service asks of its figures. Talks only
// to the HTTP API with the signed-in person's token.
import type { Role } from '../../shared/wiring/roles';
import { committeeReportButton } from './report';
import { apiClient } from './api';
import { campaignBook } from './campaigns';
import { field, h, replaceChildren } from './dom';
import { annualReturnPanel } from './panels/annual-return';
import { campaignsPanel } from './panels/campaigns';
import { capacityPanel } from './panels/capacity';
import { caseloadPanel } from './panels/caseload';
import { forecastPanel } from './panels/forecast';
import { funnelPanel } from './panels/funnel';
import { householdsPanel } from './panels/households';
import { hubPanel } from './panels/hub';
import { hubReadBy } from './hub';
import { settingsPanel } from './panels/settings';
import { sufficiencyPanel } from './panels/sufficiency';
import {
  finishCognitoSignIn,
  forgetSession,
  loadConfig,
  signInLocally,
  signOut,
  startCognitoSignIn,
  storedSession,
  type DashboardConfig,
  type Session,
} from './session';
import { errorMessage, type Panel, type PanelContext } from './ui';
import { roleWords } from '../../shared/words';

const app = document.getElementById('app') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const announce = (message: string): void => {
  status.textContent = '';
  // A fresh text node each time, so that the same message said twice is read twice.
  requestAnimationFrame(() => (status.textContent = message));
};

async function start(): Promise<void> {
  const config = await loadConfig();
  const session = (config.signIn === 'cognito' ? await finishCognitoSignIn(config) : undefined) ?? storedSession();
  if (session) showDashboard(config, session);
  else showSignIn(config);
}

function showSignIn(config: DashboardConfig, problem?: string): void {
  document.title = 'Sign in · Fostering recruitment and sufficiency';
  const problemNote = problem ? h('p', { class: 'error', role: 'alert' }, problem) : null;
  if (config.signIn === 'cognito') {
    replaceChildren(
      app,
      h(
        'main',
        { id: 'main', class: 'sign-in card' },
        h('h1', {}, 'Fostering recruitment and sufficiency'),
        h('p', {}, 'Sign in with your staff account. You will be asked for the code from your authenticator app.'),
        problemNote,
        h('button', { type: 'button', onclick: () => void startCognitoSignIn(config) }, 'Sign in'),
      ),
    );
    return;
  }
  const roleChoices = (Object.entries(roleWords) as Array<[Role, { name: string; does: string }]>).map(([role, words], i) =>
    h(
      'div',
      { class: 'check role' },
      h('input', {
        type: 'radio',
        id: `role-${role}`,
        name: 'role',
        value: role,
        checked: i === 0,
        'aria-describedby': `role-${role}-does`,
      }),
      h('label', { for: `role-${role}` }, words.name),
      h('p', { class: 'hint', id: `role-${role}-does` }, words.does),
    ),
  );
  const agency = h('input', { type: 'text', name: 'agencyId', value: 'cambs', required: true, autocomplete: 'off', spellcheck: 'false' });
  const scopeField = field('Agency', agency, 'The agency you work for, e.g. cambs');
  const scopeLabel = scopeField.querySelector('label') as HTMLLabelElement;
  const scopeHint = scopeField.querySelector('.hint') as HTMLElement;
  const person = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: 100 });
  const form = h(
    'form',
    { class: 'sign-in card', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Fostering recruitment and sufficiency'),
    h('p', {}, 'Local sign-in: choose who you are acting as. (In AWS this is the staff sign-in page.)'),
    problemNote,
    h('fieldset', {}, h('legend', {}, 'Role'), roleChoices),
    scopeField,
    field('Your name', person, 'Shown in the timelines as who recorded each step (optional)'),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  const role = () => (form.querySelector<HTMLInputElement>('input[name="role"]:checked')?.value ?? 'recruitment') as Role;
  form.addEventListener('change', () => {
    const regional = role() === 'regional';
    scopeLabel.textContent = regional ? 'Region' : 'Agency';
    scopeHint.textContent = regional ? 'The regional hub you read for, e.g. east-of-england' : 'The agency you work for, e.g. cambs';
    if (regional && agency.value === 'cambs') agency.value = 'east-of-england';
    if (!regional && agency.value === 'east-of-england') agency.value = 'cambs';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const scope = agency.value.trim();
    try {
      const session = await signInLocally(config, {
        ...(role() === 'regional' ? { role: role(), regionId: scope } : { role: role(), agencyId: scope }),
        ...(person.value.trim() ? { name: person.value.trim() } : {}),
      });
      showDashboard(config, session);
    } catch (error) {
      showSignIn(config, errorMessage(error));
    }
  });
  replaceChildren(app, h('main', { id: 'main' }, form));
  (form.querySelector('input[name="role"]') as HTMLInputElement).focus();
}

function showDashboard(config: DashboardConfig, session: Session): void {
  const expired = () => showSignIn(config, 'Your session has ended. Please sign in again.');
  const api = apiClient(
    config.apiUrl,
    () => session.token,
    () => {
      forgetSession();
      expired();
    },
  );
  // The enquiry forms' address: the front door's in AWS, this site's locally.
  const formUrl = (config.formUrl || `${location.origin}/enquire`).replace(/\/+$/, '');
  const context: PanelContext = { api, session, campaigns: campaignBook(api), announce, openHousehold: () => undefined, formUrl };
  const has = (role: Role) => session.groups.includes(role);
  const readsHouseholds = session.groups.some((g) => g !== 'regional');
  const households = readsHouseholds ? householdsPanel(context) : undefined;
  // Each role's panels: the figures everyone reads, then where each role acts.
  // The recruitment team's first page, and its managers'.
  const caseload = has('recruitment') || has('manager') ? caseloadPanel(context) : undefined;
  const panels: Panel[] = [
    ...(caseload ? [caseload] : []),
    funnelPanel(context),
    capacityPanel(context),
    sufficiencyPanel(context),
    forecastPanel(context),
    ...(has('manager') || has('regional') ? [annualReturnPanel(context)] : []),
    // A hub's managers, and the readers of a region that has a hub.
    ...(hubReadBy(session) ? [hubPanel(context)] : []),
    ...(has('marketing') ? [campaignsPanel(context)] : []),
    ...(households ? [households] : []),
    ...(has('manager') ? [settingsPanel(context)] : []),
  ];
  const tabs = panels.map((panel) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${panel.id}`,
        'aria-controls': `panel-${panel.id}`,
        'aria-selected': 'false',
        tabindex: -1,
        'data-tab': panel.id,
      },
      panel.title,
    ),
  );
  panels.forEach((panel) => panel.element.setAttribute('aria-labelledby', `tab-${panel.id}`));

  const select = (index: number, focus: boolean): void => {
    panels.forEach((panel, i) => {
      const chosen = i === index;
      tabs[i]?.setAttribute('aria-selected', String(chosen));
      tabs[i]?.setAttribute('tabindex', chosen ? '0' : '-1');
      panel.element.hidden = !chosen;
    });
    const panel = panels[index] as Panel;
    if (focus) tabs[index]?.focus();
    history.replaceState(null, '', `#${panel.id}`);
    document.title = `${panel.title} · Fostering recruitment and sufficiency`;
    void panel.show();
  };
  context.openHousehold = (householdId) => {
    if (!households) return;
    select(panels.indexOf(households), false);
    households.open(householdId);
  };
  const tabList = h('div', { role: 'tablist', 'aria-label': 'Dashboard panels', class: 'tabs' }, tabs);
  // Arrow keys move between tabs, Home and End to the ends (the WAI-ARIA tabs pattern).
  tabList.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select((next + tabs.length) % tabs.length, true);
  });
  tabs.forEach((tab, i) => tab.addEventListener('click', () => select(i, false)));

  const who = roleWords[session.groups[0] ?? 'recruitment'].name;
  const scope =
    session.regionId && session.groups.every((g) => g === 'regional') ? `region ${session.regionId}` : `agency ${session.agencyId ?? '—'}`;
  replaceChildren(
    app,
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('h1', {}, 'Fostering recruitment and sufficiency')),
      h(
        'p',
        { class: 'who', 'data-role': session.groups.join(' '), 'data-scope': session.agencyId ?? session.regionId ?? '' },
        'Signed in as ',
        h('strong', {}, session.groups.map((g) => roleWords[g].name).join(', ') || who),
        ` · ${scope}`,
      ),
      ...(session.groups.some((g) => g === 'manager' || g === 'marketing') ? [committeeReportButton(api, announce)] : []),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            // The next person starts on their own role's first panel.
            history.replaceState(null, '', location.pathname);
            signOut(config);
            if (config.signIn === 'local') showSignIn(config);
          },
        },
        'Sign out',
      ),
    ),
    h('nav', { 'aria-label': 'Panels' }, tabList),
    h(
      'main',
      { id: 'main' },
      panels.map((panel) => panel.element),
    ),
  );

  const wanted = panels.findIndex((panel) => `#${panel.id}` === location.hash);
  const preferred = 0;
  select(wanted >= 0 ? wanted : preferred, false);
}

start().catch((error: unknown) => {
  replaceChildren(
    app,
    h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, `The dashboard could not start: ${errorMessage(error)}`)),
  );
});
