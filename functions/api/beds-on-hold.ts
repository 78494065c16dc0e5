import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { AtDateQuerySchema, bedsOnHoldFor, dateOrToday } from '../../shared/queries/capacity';

export const handler = httpRoute('BedsOnHold', async (caller, event) => {
  const query = parseOr400(AtDateQuerySchema, event.queryStringParameters ?? {});
  return json(200, await bedsOnHoldFor(caller.agencyId, dateOrToday(query.at)));
});
