import { randomInt, randomUUID } from 'node:crypto';
import { domainEvent, fieldErrors, safeParseDetail, type FieldError } from '../../shared/events/catalogue';
import { attributeWebEnquiry, MAX_PUBLIC_BODY_BYTES, postLimits, PUBLIC_RECORDER, screenPost } from '../../shared/domain/front-door';
import { toUtcInstant } from '../../shared/domain/household';
import { badRequest, errorResult, HttpError, json, type ApiResult } from '../../shared/api/http';
import { frontDoorRoute, formNotOpen, headerOf, openFormOf, sourceAddressOf } from '../../shared/api/front-door';
import { recordEnquiry } from '../../shared/api/enquiries';
import { PublicEnquiryBody, type PublicEnquiry } from '../../shared/api/request-schemas';
import {
  attributionFields,
  enquiryFormPage,
  enquiryReceivedPage,
  htmlResult,
  tooManyPage,
  type FormValues,
} from '../../shared/api/enquiry-page';
import { campaignsOf } from '../../shared/store/campaigns';
import { countPostAgainst, countScreened, servedAtOf, sourceKey } from '../../shared/store/front-door';
import { formatReference } from '../../shared/store/references';
import { ACKNOWLEDGEMENT_SENDER_ENV } from '../../shared/wiring/environment';

export const handler = frontDoorRoute('ReceivePublicEnquiry', async (request) => {
  const wantsPage = /^application\/x-www-form-urlencoded/i.test(headerOf(request, 'content-type') ?? '');
  const form = await openFormOf(request);
  if (!form) return formNotOpen(wantsPage);
  const { agencyId } = form;
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);

  // Every post counts towards the limits, refused ones included, before anything else is judged.
  const [fromSource, toAgency] = await Promise.all([
    countPostAgainst(`source#${await sourceKey(sourceAddressOf(request))}`, postLimits.perSource, now),
    countPostAgainst(`agency#${agencyId}`, postLimits.perAgency, now),
  ]);
  if (fromSource.refused || toAgency.refused) {
    const retryAfter = Math.max(fromSource.refused ? fromSource.retryAfterSeconds : 0, toAgency.refused ? toAgency.retryAfterSeconds : 0);
    await countScreened(agencyId, today, 'too_many');
    const headers = { 'retry-after': String(retryAfter) };
    return wantsPage
      ? htmlResult(429, tooManyPage(retryAfter), headers)
      : json(429, { error: { code: 'too_many_requests', message: `too many enquiries: try again in ${retryAfter} seconds` } }, headers);
  }

  const text = request.body ? (request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body) : '';
  if (Buffer.byteLength(text, 'utf8') > MAX_PUBLIC_BODY_BYTES)
    return errorResult(new HttpError(413, 'payload_too_large', `the body is over ${MAX_PUBLIC_BODY_BYTES / 1024} KB`));

  const values = wantsPage ? formValues(text) : undefined;
  const parsed = PublicEnquiryBody.safeParse(values ? bodyOfForm(values) : jsonObject(text));
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error.issues);
    if (values) return htmlResult(400, enquiryFormPage(form, values, encodeURIComponent(agencyId), fields));
    throw badRequest(fields);
  }
  const enquiry = parsed.data;

  const screened = screenPost({ honeypot: enquiry.website, servedAtMs: await servedAtOf(agencyId, enquiry.servedAt) }, now);
  const reference = screened
    ? // Answered as any other post, so a robot learns nothing; nothing of it is kept but the count.
      await countScreened(agencyId, today, screened).then(() => formatReference(agencyId, today.slice(0, 4), randomInt(1, 10_000)))
    : await record(enquiry, agencyId, now);
  return answer(wantsPage, { reference, serviceName: form.serviceName, firstResponseWorkingDays: form.firstResponseWorkingDays, enquiry });
});

/** The enquiry as POST /enquiries records it, by `public`, its campaign and channel from its link. */
async function record(enquiry: PublicEnquiry, agencyId: string, now: number): Promise<string> {
  const occurredAt = new Date(now).toISOString();
  const attributed = attributeWebEnquiry(
    { on: toUtcInstant(occurredAt).slice(0, 10), attribution: enquiry.attribution, howHeard: enquiry.howHeard },
    await campaignsOf(agencyId),
  );
  const parsed = safeParseDetail('EnquiryReceived', {
    eventId: randomUUID(),
    agencyId,
    occurredAt,
    recordedBy: PUBLIC_RECORDER,
    householdId: randomUUID(),
    ...attributed,
    ...(enquiry.interests ? { interests: enquiry.interests } : {}),
    ...(enquiry.postcodeDistrict ? { postcodeDistrict: enquiry.postcodeDistrict } : {}),
  });
  if (!parsed.success) throw badRequest(fieldErrors(parsed.issues));
  const { contact, preferredContact } = enquiry;
  const stored = await recordEnquiry(
    domainEvent('EnquiryReceived', parsed.data),
    { ...contact, ...(preferredContact ? { preferredContact } : {}), consentedAt: occurredAt },
    { acknowledge: true },
  );
  return stored.reference;
}

function answer(
  wantsPage: boolean,
  {
    reference,
    serviceName,
    firstResponseWorkingDays,
    enquiry,
  }: { reference: string; serviceName: string; firstResponseWorkingDays: number; enquiry: PublicEnquiry },
): ApiResult {
  if (!wantsPage) return json(202, { reference });
  // Only where acknowledgements are sent (a sender is configured) does the page promise one.
  const acknowledged = Boolean(enquiry.contact.email && process.env[ACKNOWLEDGEMENT_SENDER_ENV]);
  return htmlResult(202, enquiryReceivedPage({ serviceName }, { reference, firstResponseWorkingDays, acknowledged }));
}

/** The JSON body as an object; anything else is a 400 naming the body. */
function jsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    throw badRequest([{ field: '(body)', message: 'the body is neither JSON nor a form post' }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest([{ field: '(body)', message: 'the body must be a JSON object' } satisfies FieldError]);
  return parsed as Record<string, unknown>;
}

/** The form's fields as posted; an empty field is one not given. */
function formValues(text: string): FormValues {
  const params = new URLSearchParams(text);
  const one = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value : undefined;
  };
  return {
    name: params.get('name') ?? undefined,
    email: one('email'),
    phone: one('phone'),
    postcodeDistrict: one('postcodeDistrict'),
    interests: params.getAll('interests').filter(Boolean),
    preferredMethod: one('preferredMethod'),
    preferredTime: one('preferredTime'),
    howHeard: one('howHeard'),
    consent: params.get('consent') === 'yes',
    ...Object.fromEntries(attributionFields.map((name) => [name, one(name)])),
    servedAt: one('servedAt'),
    website: params.get('website') ?? undefined,
  };
}

/** The JSON body a form post stands for. */
function bodyOfForm(values: FormValues): Record<string, unknown> {
  const attribution = {
    source: values.utm_source,
    medium: values.utm_medium,
    campaign: values.utm_campaign,
    content: values.utm_content,
    referrer: values.referrer,
  };
  const given = Object.values(attribution).some((value) => value !== undefined);
  return {
    contact: {
      name: values.name ?? '',
      ...(values.email ? { email: values.email } : {}),
      ...(values.phone ? { phone: values.phone } : {}),
    },
    ...(values.postcodeDistrict ? { postcodeDistrict: values.postcodeDistrict } : {}),
    ...(values.interests?.length ? { interests: values.interests } : {}),
    ...(values.preferredMethod || values.preferredTime
      ? { preferredContact: { method: values.preferredMethod, ...(values.preferredTime ? { timeOfDay: values.preferredTime } : {}) } }
      : {}),
    ...(values.howHeard ? { howHeard: values.howHeard } : {}),
    ...(given ? { attribution: JSON.parse(JSON.stringify(attribution)) } : {}),
    consent: values.consent === true,
    ...(values.website !== undefined ? { website: values.website } : {}),
    ...(values.servedAt ? { servedAt: values.servedAt } : {}),
  };
}
