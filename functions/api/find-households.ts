import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { audit } from '../../shared/api/audited';
import { findHouseholds, FindHouseholdsQuerySchema } from '../../shared/queries/find-households';

export const handler = httpRoute('FindHouseholds', async (caller, event) => {
  const { q } = parseOr400(FindHouseholdsQuerySchema, event.queryStringParameters ?? {});
  // Names, emails and phones are recruitment's alone to search and see (docs/rules.md, roles).
  const withContacts = caller.has('recruitment');
  const households = await findHouseholds(caller.agencyId, q, { withContacts });
  // A search that could reach contact details is audited, matches or none: the households it showed,
  // never what was searched for.
  if (withContacts)
    await audit(
      caller,
      'searched',
      households.map((h) => h.householdId),
    );
  return json(200, { q, households });
});
