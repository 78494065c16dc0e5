// Building blocks shared by the panels: figure cards, tables, chart boxes, error and loading states.
import type { Api } from './api';
import { ApiError } from './api';
import type { CampaignBook } from './campaigns';
import { h, replaceChildren, uid } from './dom';
import { shown } from './format';
import type { Session } from './session';

export interface PanelContext {
  api: Api;
  session: Session;
  /** The campaigns of the agency or region, by name. */
  campaigns: CampaignBook;
  /** Says something through the page's polite live region. */
  announce(message: string): void;
  /** Opens a household's record in the Households panel. */
  openHousehold(householdId: string): void;
  /** Where the agencies' enquiry forms are: `<formUrl>/<agencyId>`. */
  formUrl: string;
}

export interface Panel {
  id: string;
  title: string;
  element: HTMLElement;
  /** Fetches the figures and draws them; called each time the panel is opened. */
  show(): Promise<void>;
}

export interface Figure {
  /** The API's field, e.g. `cohort.enquiries`: the figure's `data-figure`, for tests and for the glossary. */
  field: string;
  label: string;
  value: number | string | null | undefined;
  text: string;
  /** What the figure means, in a sentence. */
  hint?: string;
  emphasis?: boolean;
}

/** A row of figures; each carries its API field and raw value as data attributes. */
export function figures(list: Figure[], label: string): HTMLElement {
  return h(
    'dl',
    { class: 'figures', 'aria-label': label },
    list.map((f) =>
      h(
        'div',
        { class: `figure${f.emphasis ? ' figure-emphasis' : ''}`, 'data-figure': f.field, 'data-value': f.value ?? '' },
        h('dt', {}, f.label),
        h('dd', {}, shown(f.text)),
        f.hint ? h('dd', { class: 'hint' }, f.hint) : null,
      ),
    ),
  );
}

export interface Column<Row> {
  heading: string;
  cell: (row: Row) => string | Node;
  field?: string;
  numeric?: boolean;
}

/** A data table with a caption; `field` columns carry `data-figure` on their cells. */
export function table<Row>(
  caption: string,
  columns: Column<Row>[],
  rows: Row[],
  options: { rowKey?: (row: Row) => string; empty?: string } = {},
): HTMLElement {
  if (rows.length === 0)
    return h('div', { class: 'table-wrap' }, h('p', { class: 'empty' }, `${caption}: ${options.empty ?? 'nothing to show yet.'}`));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.heading)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            { 'data-row': options.rowKey?.(row) },
            columns.map((c, i) => {
              const content = c.cell(row);
              const cell = typeof content === 'string' ? shown(content) : content;
              return i === 0
                ? h('th', { scope: 'row' }, cell)
                : h('td', { class: c.numeric ? 'num' : undefined, 'data-figure': c.field }, cell);
            }),
          ),
        ),
      ),
    ),
  );
}

/** A canvas for a chart: an image whose label says what it shows, and where the numbers are. */
export function chartBox(title: string, description: string, height = 260): { element: HTMLElement; canvas: HTMLCanvasElement } {
  const headingId = uid('chart');
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}. ${description}` });
  const box = h('div', { class: 'chart-canvas' }, canvas);
  // Set through the CSSOM: the Content-Security-Policy refuses inline style attributes.
  box.style.height = `${height}px`;
  const element = h('figure', { class: 'chart', 'aria-labelledby': headingId }, h('figcaption', { id: headingId }, title), box);
  return { element, canvas };
}

/** The meanings of a panel's figures, with the API field each one comes from. */
export function glossary(entries: Array<[field: string, meaning: string]>): HTMLElement {
  return h(
    'details',
    { class: 'glossary' },
    h('summary', {}, 'What these figures mean'),
    h(
      'dl',
      {},
      entries.flatMap(([field, meaning]) => [h('dt', {}, h('code', {}, field)), h('dd', {}, meaning)]),
    ),
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return fields ? `${error.message} (${fields})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs a load into a results area: "Loading…" meanwhile, the error (as an alert) if it fails. */
export async function loadInto(results: HTMLElement, load: () => Promise<Array<Node | null>>): Promise<void> {
  results.setAttribute('aria-busy', 'true');
  if (results.childElementCount === 0) replaceChildren(results, h('p', { class: 'loading' }, 'Loading…'));
  try {
    replaceChildren(results, await load());
  } catch (error) {
    replaceChildren(results, h('p', { class: 'error', role: 'alert' }, `Could not load the figures: ${errorMessage(error)}`));
  } finally {
    results.removeAttribute('aria-busy');
  }
}

/** A panel's controls: a form whose submit (button or Enter) reloads the figures. */
export function controls(label: string, fields: HTMLElement[], onSubmit: () => void): HTMLFormElement {
  const form = h(
    'form',
    { class: 'controls', 'aria-label': label },
    fields,
    h('button', { type: 'submit', class: 'secondary' }, 'Show figures'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit();
  });
  return form;
}

export function panelShell(id: string, title: string, intro: string): { element: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'panel-body' });
  const element = h(
    'section',
    { id: `panel-${id}`, class: 'panel', role: 'tabpanel', tabindex: 0, hidden: true },
    h('h2', {}, title),
    h('p', { class: 'intro' }, intro),
    body,
  );
  return { element, body };
}
