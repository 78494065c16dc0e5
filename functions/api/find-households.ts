import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { findHouseholds, FindHouseholdsQuerySchema } from '../../shared/queries/find-households';

export const handler = httpRoute('FindHouseholds', async (caller, event) => {
  const { q } = parseOr400(FindHouseholdsQuerySchema, event.queryStringParameters ?? {});
  // Names, emails and phones are recruitment's alone to search and see (docs/rules.md, roles).
  const households = await findHouseholds(caller.agencyId, q, { withContacts: caller.has('recruitment') });
  return json(200, { q, households });
});
