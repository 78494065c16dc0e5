// Command forms: one submission at a time, the same Idempotency-Key when a failed submission is
// retried unchanged (so a lost answer never logs an enquiry twice), and the API's field errors
// shown beside the fields they name.
import { ApiError, type FieldError } from './api';
import { h } from './dom';
import { errorMessage } from './ui';

export interface CommandForm {
  form: HTMLFormElement;
  /** Runs the command with the idempotency key of this submission. */
  send: (idempotencyKey: string) => Promise<void>;
}

export function wireCommandForm({ form, send }: CommandForm): void {
  let key = crypto.randomUUID();
  const feedback = h('p', { class: 'form-feedback', role: 'alert' });
  form.append(feedback);
  // Any change makes it a new request, with a new key.
  form.addEventListener('input', () => (key = crypto.randomUUID()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    clearErrors(form, feedback);
    const buttons = [...form.querySelectorAll('button')];
    form.setAttribute('aria-busy', 'true');
    buttons.forEach((b) => (b.disabled = true));
    try {
      await send(key);
      key = crypto.randomUUID();
    } catch (error) {
      showErrors(form, feedback, error);
    } finally {
      form.removeAttribute('aria-busy');
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

function clearErrors(form: HTMLFormElement, feedback: HTMLElement): void {
  feedback.textContent = '';
  for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
  for (const element of form.querySelectorAll('.field-error')) element.remove();
}

/** The control an API field path names: `contact.email` → name="contact.email"; `interests.0` → the interests group. */
function controlFor(form: HTMLFormElement, path: string): HTMLElement | null {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n -= 1) {
    const name = parts.slice(0, n).join('.');
    const control = form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"], fieldset[data-name="${CSS.escape(name)}"]`);
    if (control) return control;
  }
  return null;
}

function showErrors(form: HTMLFormElement, feedback: HTMLElement, error: unknown): void {
  const fields: FieldError[] = error instanceof ApiError ? error.fields : [];
  let first: HTMLElement | null = null;
  const unplaced: string[] = [];
  for (const { field, message } of fields) {
    const control = controlFor(form, field);
    if (!control) {
      unplaced.push(`${field}: ${message}`);
      continue;
    }
    const note = h('p', { class: 'field-error', id: `${control.id || field}-error` }, message);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-errormessage', note.id);
    (control.closest('.field') ?? control).append(note);
    first ??= control;
  }
  feedback.textContent =
    fields.length > 0
      ? `Please check the form: ${fields.length === 1 ? 'one field needs' : `${fields.length} fields need`} attention.${unplaced.length ? ` ${unplaced.join('; ')}` : ''}`
      : errorMessage(error);
  (first ?? feedback).focus?.();
}
