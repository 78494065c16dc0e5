import { frontDoorRoute, formNotOpen, headerOf, openFormOf } from '../../shared/api/front-door';
import { enquiryFormPage, htmlResult, type FormValues } from '../../shared/api/enquiry-page';
import { servedAtStamp } from '../../shared/store/front-door';

// The form carries the link's utm_* parameters and the page that linked here as hidden fields, so
// attribution needs no script; and the time it was served, signed, so a post too fast for a person is known.
export const handler = frontDoorRoute('EnquiryForm', async (request) => {
  const form = await openFormOf(request);
  if (!form) return formNotOpen(true);
  const query = request.queryStringParameters ?? {};
  const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : undefined);
  const values: FormValues = {
    utm_source: clip(query.utm_source, 100),
    utm_medium: clip(query.utm_medium, 100),
    utm_campaign: clip(query.utm_campaign, 100),
    utm_content: clip(query.utm_content, 100),
    referrer: clip(headerOf(request, 'referer'), 500),
    servedAt: await servedAtStamp(form.agencyId, Date.now()),
  };
  return htmlResult(200, enquiryFormPage(form, values, `../public/enquiries/${encodeURIComponent(form.agencyId)}`));
});
