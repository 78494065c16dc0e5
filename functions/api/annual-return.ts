import { json, parseOr400, scopedRoute } from '../../shared/api/http';
import { AnnualReturnQuerySchema, annualReturnFor } from '../../shared/queries/annual-return';

export const handler = scopedRoute('AnnualReturn', async (caller, event) => {
  const query = parseOr400(AnnualReturnQuerySchema, event.queryStringParameters ?? {});
  return json(200, await annualReturnFor(caller.scope, query.financialYear));
});
