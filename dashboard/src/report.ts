// "Download the committee report" (docs/adopting.md): the period's Fostering Service Update as a Word
// document, for the service manager (and marketing) to edit before it goes to committee.
import type { Api } from './api';
import { h } from './dom';
import { todayUtc } from './format';
import { financialYearOf } from '../../shared/domain/calendar';

export function committeeReportButton(api: Api, announce: (message: string) => void): HTMLElement {
  const today = todayUtc();
  const from = h('input', { type: 'date', name: 'from', value: `${financialYearOf(today)}-04-01`, 'aria-label': 'Report from' });
  const to = h('input', { type: 'date', name: 'to', value: today, 'aria-label': 'Report to' });
  const button = h('button', { type: 'submit', class: 'secondary' }, 'Download the committee report');
  // Each date with its visible label: the period the report covers.
  const form = h(
    'form',
    { class: 'committee-report', 'data-action': 'committee-report' },
    h('label', {}, 'Report from ', from),
    h('label', {}, ' to ', to),
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    api
      .download('/reports/fostering-service-update', { from: from.value, to: to.value })
      .then((blob) => {
        const link = h('a', { href: URL.createObjectURL(blob), download: `fostering-service-update-${from.value}-${to.value}.docx` });
        link.click();
        URL.revokeObjectURL(link.href);
        announce('The committee report has been downloaded.');
      })
      .catch((error: unknown) => announce(`The report could not be made: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (button.disabled = false));
  });
  return form;
}
