import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { AtDateQuerySchema, capacityFor, dateOrToday } from '../../shared/queries/capacity';

export const handler = httpRoute('Capacity', async (caller, event) => {
  const query = parseOr400(AtDateQuerySchema, event.queryStringParameters ?? {});
  return json(200, await capacityFor(caller.agencyId, dateOrToday(query.at)));
});
