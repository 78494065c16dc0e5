import { json, parseOr400, scopedRoute } from '../../shared/api/http';
import { timelinessFor, TimelinessQuerySchema } from '../../shared/queries/caseload';

export const handler = scopedRoute('Timeliness', async (caller, event) => {
  const query = parseOr400(TimelinessQuerySchema, event.queryStringParameters ?? {});
  return json(200, await timelinessFor(caller.scope, query));
});
