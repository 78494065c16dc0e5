import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { AtDateQuerySchema, capacityFor, dateOrToday } from '../../shared/queries/capacity';

export const handler = scopedRoute('Capacity', async (caller, event) => {
  const query = parseOr400(AtDateQuerySchema, event.queryStringParameters ?? {});
  return json(200, await capacityFor(caller.scope, dateOrToday(query.at)));
});
