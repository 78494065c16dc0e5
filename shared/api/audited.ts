// The access audit at the HTTP edge: an answer that shows a household's contact details or a manager's
// note is sent only once its entry is written (shared/store/audit.ts). The entry names the households
// shown, never what was asked for (a search's q) nor what was shown.
import { appendAudit, type AuditAction } from '../store/audit';
import type { Principal } from './http';

/** The caller's token `sub` as the audit names it; a token without one (none in AWS) is still recorded. */
export const auditSub = (caller: Pick<Principal, 'subject'>) => caller.subject ?? '(no sub)';

export async function audit(
  caller: Pick<Principal, 'subject'> & { agencyId: string },
  action: AuditAction,
  householdIds: readonly string[],
) {
  await appendAudit({
    at: new Date().toISOString(),
    sub: auditSub(caller),
    agencyId: caller.agencyId,
    action,
    householdIds: [...householdIds],
  });
}
