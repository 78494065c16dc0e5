import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { AtDateQuerySchema, bedsOnHoldFor, dateOrToday } from '../../shared/queries/capacity';

export const handler = scopedRoute('BedsOnHold', async (caller, event) => {
  const query = parseOr400(AtDateQuerySchema, event.queryStringParameters ?? {});
  return json(200, await bedsOnHoldFor(caller.scope, dateOrToday(query.at)));
});
