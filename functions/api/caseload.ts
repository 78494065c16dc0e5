import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { audit } from '../../shared/api/audited';
import { caseloadFor, CaseloadQuerySchema } from '../../shared/queries/caseload';
import { getNames } from '../../shared/store/contacts';

export const handler = httpRoute('Caseload', async (caller, event) => {
  const query = parseOr400(CaseloadQuerySchema, event.queryStringParameters ?? {});
  const page = await caseloadFor(caller.agencyId, query);
  const households = page.households.map(({ agencyId: _agency, ...entry }) => entry);
  // Only recruitment sees who each household is (docs/rules.md, roles); a name erased shows as null.
  if (!caller.has('recruitment')) return json(200, { ...page, households });
  const names = await getNames(
    caller.agencyId,
    households.map((h) => h.householdId),
  );
  // The work list with names is audited: which households' names this page showed.
  const named = households.filter((h) => names.has(h.householdId)).map((h) => h.householdId);
  if (named.length > 0) await audit(caller, 'listed', named);
  return json(200, { ...page, households: households.map((h) => ({ ...h, name: names.get(h.householdId) ?? null })) });
});
