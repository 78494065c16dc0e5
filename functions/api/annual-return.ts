import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { AnnualReturnQuerySchema, annualReturnFor } from '../../shared/queries/annual-return';

export const handler = scopedRoute('AnnualReturn', async (caller, event) => {
  const query = parseOr400(AnnualReturnQuerySchema, event.queryStringParameters ?? {});
  return json(200, await annualReturnFor(caller.scope, query.financialYear));
});
