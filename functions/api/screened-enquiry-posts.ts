import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { ScreenedQuerySchema, screenedPostsFor } from '../../shared/queries/front-door';

export const handler = httpRoute('ScreenedEnquiryPosts', async (caller, event) => {
  const query = parseOr400(ScreenedQuerySchema, event.queryStringParameters ?? {});
  return json(200, await screenedPostsFor(caller.agencyId, query));
});
