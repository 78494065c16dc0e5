import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { timelinessFor, TimelinessQuerySchema } from '../../shared/queries/caseload';

export const handler = scopedRoute('Timeliness', async (caller, event) => {
  const query = parseOr400(TimelinessQuerySchema, event.queryStringParameters ?? {});
  return json(200, await timelinessFor(caller.scope, query));
});
