// A tiny element builder: text always goes in as text (never as HTML), so nothing the API returns
// can inject markup.
type Child = Node | string | number | null | undefined | false;
type AttributeValue = string | number | boolean | null | undefined;
type Attributes = Record<string, AttributeValue | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Array<Child | Child[]>): void {
  parent.replaceChildren();
  append(parent, children);
}

let idCounter = 0;
/** A unique id, for label/aria wiring. */
export const uid = (prefix: string): string => `${prefix}-${++idCounter}`;

/** A labelled form control: the label names it, the hint describes it (aria-describedby). */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLDivElement {
  control.id ||= uid('field');
  const hintElement = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement);
}

export function select(
  name: string,
  options: ReadonlyArray<readonly [value: string, label: string]>,
  selected?: string,
): HTMLSelectElement {
  return h(
    'select',
    { name },
    options.map(([value, label]) => h('option', { value, selected: value === selected }, label)),
  );
}

export const visuallyHidden = (text: string): HTMLSpanElement => h('span', { class: 'visually-hidden' }, text);
