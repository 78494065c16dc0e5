// The front door's HTTP edge: the public's routes, without a token. In AWS they are served by a REST
// API behind AWS WAF (infra/front-door.ts), whose events carry the caller's address in
// `requestContext.identity.sourceIp`; the HTTP API's carry it in `requestContext.http.sourceIp`. Both
// are the address API Gateway saw the connection come from, never a header the caller can set.
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { Identifier } from '../events/catalogue';
import { logger, loggerContext } from '../logger';
import { agencySettingsFor } from '../queries/agency-settings';
import type { ApiRouteName } from '../wiring/http-routes';
import { errorResult, HttpError, type ApiResult } from './http';
import { formClosedPage, htmlResult, type FormSettings } from './enquiry-page';

/** What a public route reads of the event, from either gateway. */
export const PublicRequest = z.looseObject({
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().optional(),
  headers: z.record(z.string(), z.string().optional()).nullish(),
  pathParameters: z.record(z.string(), z.string().optional()).nullish(),
  queryStringParameters: z.record(z.string(), z.string().optional()).nullish(),
  requestContext: z.looseObject({
    identity: z.looseObject({ sourceIp: z.string().optional() }).optional(),
    http: z.looseObject({ sourceIp: z.string().optional() }).optional(),
  }),
});
export type PublicRequest = z.infer<typeof PublicRequest>;

/** The caller's address as the gateway saw it. */
export const sourceAddressOf = (request: PublicRequest): string =>
  request.requestContext.identity?.sourceIp ?? request.requestContext.http?.sourceIp ?? 'unknown';

/** A header by its name in any case (the REST API keeps the caller's case; the HTTP API lowers it). */
export function headerOf(request: PublicRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(request.headers ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** The chain of a public route: logger context, errors in the API's one shape, never the request in a log. */
export function frontDoorRoute(name: ApiRouteName, logic: (request: PublicRequest) => Promise<ApiResult>) {
  const handle = async (event: unknown, _context: Context): Promise<ApiResult> => {
    try {
      const result = await logic(PublicRequest.parse(event));
      logger.info('request handled', { route: name, status: result.statusCode });
      return result;
    } catch (error) {
      if (error instanceof HttpError) {
        logger.info('request refused', { route: name, status: error.status, code: error.code });
        return errorResult(error);
      }
      logger.error('request failed', { route: name, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
      return errorResult(new HttpError(500, 'internal_error', 'something went wrong on our side; the request can be retried'));
    }
  };
  return middy(handle).use(loggerContext());
}

/** The agency's form, open once its manager has set the service's name and privacy notice
 *  (an enquirer must be told who holds their details, and how, before giving them). */
export async function openFormOf(request: PublicRequest): Promise<(FormSettings & { firstResponseWorkingDays: number }) | undefined> {
  const agencyId = request.pathParameters?.agencyId;
  if (!agencyId || !Identifier.safeParse(agencyId).success) return undefined;
  const settings = await agencySettingsFor(agencyId);
  const { serviceName, privacyNoticeText, privacyNoticeUrl, firstResponseWorkingDays } = settings;
  if (!serviceName || !privacyNoticeText || !privacyNoticeUrl) return undefined;
  return { agencyId, serviceName, privacyNoticeText, privacyNoticeUrl, firstResponseWorkingDays };
}

/** No open form here: a page for people, the API's error for programs. */
export const formNotOpen = (wantsPage: boolean): ApiResult =>
  wantsPage
    ? htmlResult(404, formClosedPage())
    : errorResult(
        new HttpError(404, 'not_found', "no such agency, or its form is not open (the service's name and privacy notice are not set)"),
      );
