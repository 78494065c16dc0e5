// The enquiry form and its answer as HTML pages: plain forms that work without JavaScript, written to
// WCAG 2.2 AA (labels, hints and errors tied to their fields, an error summary, large targets, visible
// focus). Served with a CSP of their own: no script at all, the one inline style by its hash.
import { createHash } from 'node:crypto';
import { channels, type Channel } from '../events/vocabulary';
import { interestWords, knownInterests } from '../events/interests';
import { channelWords } from '../words';
import type { FieldError } from '../events/catalogue';
import type { ApiResult } from './http';
import { contactMethods, timesOfDay } from './request-schemas';

/** What the page shows of the agency. */
export interface FormSettings {
  agencyId: string;
  serviceName: string;
  privacyNoticeText: string;
  privacyNoticeUrl: string;
}

/** The form's fields as posted (application/x-www-form-urlencoded), and as shown again after an error. */
export interface FormValues {
  name?: string;
  email?: string;
  phone?: string;
  postcodeDistrict?: string;
  interests?: string[];
  preferredMethod?: string;
  preferredTime?: string;
  howHeard?: string;
  consent?: boolean;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_content?: string;
  referrer?: string;
  servedAt?: string;
  website?: string;
}

/** The link's parameters and the referrer, carried by the form as hidden fields. */
export const attributionFields = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'referrer'] as const;

/** Where each field of the JSON body is on the form (an error links to it). */
const inputOf: Record<string, string> = {
  'contact.name': 'name',
  'contact.email': 'email',
  'contact.phone': 'phone',
  postcodeDistrict: 'postcodeDistrict',
  interests: 'interests-0',
  preferredContact: 'preferredMethod-0',
  'preferredContact.method': 'preferredMethod-0',
  'preferredContact.timeOfDay': 'preferredTime-0',
  howHeard: 'howHeard',
  consent: 'consent',
};

/** The fields in the order the page shows them. */
const formOrder = [
  'name',
  'email',
  'phone',
  'postcodeDistrict',
  'preferredMethod-0',
  'preferredTime-0',
  'interests-0',
  'howHeard',
  'consent',
];

const timeWords: Record<(typeof timesOfDay)[number], string> = {
  morning: 'Morning',
  afternoon: 'Afternoon',
  evening: 'Evening',
  any: 'Any time',
};
const methodWords: Record<(typeof contactMethods)[number], string> = { phone: 'Phone call', email: 'Email', text: 'Text message' };

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1.1875rem/1.5 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#0b0c0c;background:#fff}
header{background:#1d3557;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.4rem;margin:1.5rem 0 .5rem}
label,legend{display:block;font-weight:700;margin-bottom:.25rem}
fieldset{border:0;padding:0;margin:0 0 1.25rem}
.field{margin-bottom:1.25rem}
.hint{color:#484949;margin:0 0 .35rem}
input[type=text],input[type=email],input[type=tel],select{width:100%;min-height:2.75rem;font:inherit;padding:.35rem .5rem;border:2px solid #0b0c0c;border-radius:0;background:#fff;color:#0b0c0c}
.choice{display:flex;align-items:flex-start;gap:.6rem;margin:.4rem 0}
.choice input{width:1.75rem;height:1.75rem;margin:0;flex:none;accent-color:#1d3557}
.choice label{font-weight:400;margin:0;padding-top:.1rem}
button{font:inherit;font-weight:700;min-height:2.75rem;padding:.5rem 1.25rem;border:0;background:#00703c;color:#fff;cursor:pointer;box-shadow:0 2px 0 #002d18}
:focus-visible{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
a{color:#1d4ed8}
.error-summary{border:4px solid #b10e1e;padding:1rem;margin-bottom:1.5rem}
.error-summary h2{margin-top:0}
.error{color:#b10e1e;font-weight:700;margin:0 0 .35rem}
.invalid input[type=text],.invalid input[type=email],.invalid input[type=tel],.invalid select{border-color:#b10e1e}
.reference{font-size:1.6rem;font-weight:700;letter-spacing:.05em}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.visually-hidden{position:absolute!important;width:1px!important;height:1px!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;white-space:nowrap!important}
`;

/** The pages' own policy: nothing but their inline style, their form posting to this site, no frames but the council's. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  // The council may embed the form in its own pages (any https site), never a plain-http one.
  'frame-ancestors https:',
].join('; ');

export const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cache-control': 'no-store',
};

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, serviceName: string, content: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – ${escape(serviceName)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p>${escape(serviceName)}</p></header>
<main>
${content}
</main>
</body>
</html>
`;
}

export function htmlResult(statusCode: number, body: string, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { ...pageHeaders, ...headers }, body };
}

/** The form, empty or as posted with the errors it had. `action` is where it posts. */
export function enquiryFormPage(settings: FormSettings, values: FormValues, action: string, errors: readonly FieldError[] = []): string {
  const found = new Map<string, string>();
  for (const error of errors) {
    const input = inputOf[error.field] ?? inputOf[error.field.split('.').slice(0, 2).join('.')] ?? inputOf[error.field.split('.')[0]!];
    if (input && !found.has(input)) found.set(input, sentence(error));
  }
  // The summary lists the problems in the order the fields come on the page.
  const errorOf = new Map(formOrder.filter((id) => found.has(id)).map((id) => [id, found.get(id)!] as const));
  const v = (value: string | undefined) => escape(value ?? '');
  const errorLine = (id: string) =>
    errorOf.has(id) ? `<p class="error" id="${id}-error"><span class="visually-hidden">Error:</span> ${escape(errorOf.get(id)!)}</p>` : '';
  const describedBy = (id: string, hint?: boolean) => {
    const ids = [hint ? `${id}-hint` : '', errorOf.has(id) ? `${id}-error` : ''].filter(Boolean);
    return ids.length ? ` aria-describedby="${ids.join(' ')}"` : '';
  };
  const invalid = (id: string) => (errorOf.has(id) ? ' aria-invalid="true"' : '');
  const fieldClass = (id: string) => (errorOf.has(id) ? 'field invalid' : 'field');
  const textInput = (id: string, label: string, type: string, autocomplete: string, value: string | undefined, hint?: string) => `
<div class="${fieldClass(id)}">
<label for="${id}">${label}</label>
${hint ? `<p class="hint" id="${id}-hint">${hint}</p>` : ''}${errorLine(id)}
<input type="${type}" id="${id}" name="${id}" autocomplete="${autocomplete}" value="${v(value)}"${describedBy(id, Boolean(hint))}${invalid(id)}>
</div>`;
  const choices = (
    type: 'radio' | 'checkbox',
    name: string,
    options: ReadonlyArray<readonly [string, string]>,
    checked: (code: string) => boolean,
  ) =>
    options
      .map(
        ([code, words], i) =>
          `<div class="choice"><input type="${type}" id="${name}-${i}" name="${name}" value="${code}"${checked(code) ? ' checked' : ''}><label for="${name}-${i}">${escape(words)}</label></div>`,
      )
      .join('\n');
  const summary =
    errorOf.size === 0
      ? ''
      : `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">There is a problem</h2>
<ul>${[...errorOf].map(([id, message]) => `<li><a href="#${id}">${escape(message)}</a></li>`).join('')}</ul>
</div>`;
  const hidden = [...attributionFields, 'servedAt'] as const;
  const content = `
<h1>Enquire about fostering</h1>
${summary}
<p>Tell us a little about yourself and someone from our fostering team will be in touch. It takes about two minutes, and asking does not commit you to anything.</p>
<form method="post" action="${escape(action)}" novalidate>
${textInput('name', 'Your name', 'text', 'name', values.name)}
<h2>How can we contact you?</h2>
<p class="hint">Give an email address, a phone number or both.</p>
${textInput('email', 'Email address', 'email', 'email', values.email)}
${textInput('phone', 'Phone number', 'tel', 'tel', values.phone)}
${textInput('postcodeDistrict', 'Postcode (optional)', 'text', 'postal-code', values.postcodeDistrict, 'The first part is enough, such as CB4.')}
<div class="${fieldClass('preferredMethod-0')}">
<fieldset${describedBy('preferredMethod-0')}>
<legend>How would you like us to contact you? (optional)</legend>
${errorLine('preferredMethod-0')}
${choices('radio', 'preferredMethod', Object.entries(methodWords), (code) => values.preferredMethod === code)}
</fieldset>
</div>
<div class="${fieldClass('preferredTime-0')}">
<fieldset${describedBy('preferredTime-0')}>
<legend>When is best? (optional)</legend>
${errorLine('preferredTime-0')}
${choices('radio', 'preferredTime', Object.entries(timeWords), (code) => values.preferredTime === code)}
</fieldset>
</div>
<div class="${fieldClass('interests-0')}">
<fieldset${describedBy('interests-0')}>
<legend>What might you like to offer? (optional)</legend>
${errorLine('interests-0')}
${choices(
  'checkbox',
  'interests',
  knownInterests.map((code) => [code, interestWords[code]] as const),
  (code) => values.interests?.includes(code) ?? false,
)}
</fieldset>
</div>
<div class="${fieldClass('howHeard')}">
<label for="howHeard">How did you hear about us? (optional)</label>
${errorLine('howHeard')}
<select id="howHeard" name="howHeard"${describedBy('howHeard')}${invalid('howHeard')}>
<option value="">Choose one</option>
${channels.map((code: Channel) => `<option value="${code}"${values.howHeard === code ? ' selected' : ''}>${escape(channelWords[code])}</option>`).join('\n')}
</select>
</div>
<h2>Your information</h2>
<p>${escape(settings.privacyNoticeText)}</p>
<p><a href="${escape(settings.privacyNoticeUrl)}">Read ${escape(settings.serviceName)}'s privacy notice</a></p>
<div class="${fieldClass('consent')}">
${errorLine('consent')}
<div class="choice"><input type="checkbox" id="consent" name="consent" value="yes"${values.consent ? ' checked' : ''}${describedBy('consent')}${invalid('consent')}><label for="consent">I agree to ${escape(settings.serviceName)} contacting me about fostering</label></div>
</div>
<div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value=""></div>
${hidden.map((name) => `<input type="hidden" name="${name}" value="${v(values[name])}">`).join('\n')}
<button type="submit">Send my enquiry</button>
</form>`;
  return page(errorOf.size ? 'Error: enquire about fostering' : 'Enquire about fostering', settings.serviceName, content);
}

/** What a plain form post answers: the reference, and what happens next and when. */
export function enquiryReceivedPage(
  settings: Pick<FormSettings, 'serviceName'>,
  answer: { reference: string; firstResponseWorkingDays: number; acknowledged: boolean },
): string {
  const days = answer.firstResponseWorkingDays;
  const when = days === 0 ? 'today' : days === 1 ? 'by the end of the next working day' : `within ${days} working days`;
  const content = `
<h1>Thank you: we have your enquiry</h1>
<p>Your reference is</p>
<p class="reference">${escape(answer.reference)}</p>
<p>Please keep it: say it if you call us, and we will know who you are.</p>
<h2>What happens next</h2>
<p>Someone from our fostering team will contact you ${when}, to talk about fostering and answer your questions. There is no obligation.</p>
${answer.acknowledged ? '<p>We have also sent these details to your email address.</p>' : ''}`;
  return page('We have your enquiry', settings.serviceName, content);
}

/** A page for an agency whose form is not open (no such service, or its privacy notice not yet set). */
export function formClosedPage(): string {
  return page(
    'This form is not available',
    'Fostering',
    `<h1>This form is not available</h1>
<p>Please check the address of the page you came from, or contact the fostering service by phone.</p>`,
  );
}

/** A page for too many posts from one place: how long to wait. */
export function tooManyPage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return page(
    'Please wait',
    'Fostering',
    `<h1>Please wait a few minutes</h1>
<p>We have had several enquiries from your connection in a short time. Please try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}.</p>`,
  );
}

/** A field error in the enquirer's words. */
function sentence(error: FieldError): string {
  switch (error.field) {
    case 'contact.name':
      return 'Enter your name';
    case 'contact.email':
      return error.message === 'give an email address or a phone number'
        ? 'Enter an email address or a phone number'
        : 'Enter an email address in the right form, like name@example.com';
    case 'contact.phone':
      return 'Enter a phone number, like 01632 960 001';
    case 'postcodeDistrict':
      return 'Enter a postcode, like CB4 or CB4 1AB';
    case 'preferredContact.method':
      return 'Choose how you would like us to contact you, or leave both questions blank';
    case 'consent':
      return 'Tick the box to agree to us contacting you, so we can reply';
    default:
      return `Check this answer: ${error.message}`;
  }
}
