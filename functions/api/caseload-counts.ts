import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { caseloadCountsFor, CaseloadCountsQuerySchema } from '../../shared/queries/caseload';

export const handler = scopedRoute('CaseloadCounts', async (caller, event) => {
  const query = parseOr400(CaseloadCountsQuerySchema, event.queryStringParameters ?? {});
  return json(200, await caseloadCountsFor(caller.scope, query));
});
