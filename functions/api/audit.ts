import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { auditFor, AuditQuerySchema } from '../../shared/queries/audit';

// Reading the audit is not itself audited: it shows who looked at which household, never their details.
export const handler = httpRoute('Audit', async (caller, event) => {
  const query = parseOr400(AuditQuerySchema, event.queryStringParameters ?? {});
  const page = await auditFor(caller.agencyId, query);
  return json(200, { from: query.from, to: query.to, ...page });
});
