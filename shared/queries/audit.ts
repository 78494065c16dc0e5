// `GET /audit`: the agency's access audit, a page at a time (docs/security.md, access audit).
import * as z from 'zod';
import { CalendarDate, checkWindow, Identifier, StaffId } from '../events/catalogue';
import { endOfDay, startOfDay } from '../domain/calendar';
import { auditEntries, type AuditPage } from '../store/audit';

export const AUDIT_PAGE_SIZE = 100;

export const AuditQuerySchema = z
  .strictObject({
    from: CalendarDate.describe('the first day (UTC) whose entries are listed'),
    to: CalendarDate.describe('the last day (UTC) whose entries are listed'),
    householdId: Identifier.optional().describe('only the entries that name this household'),
    sub: StaffId.optional().describe("only one staff member's entries (the token's sub)"),
    cursor: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f-]{36}$/, 'a cursor from a previous page')
      .optional(),
  })
  .superRefine(checkWindow);
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export async function auditFor(agencyId: string, query: AuditQuery): Promise<AuditPage> {
  const { from, to, householdId, sub, cursor } = query;
  return auditEntries(agencyId, { from: startOfDay(from), to: endOfDay(to) }, { householdId, sub }, { cursor, limit: AUDIT_PAGE_SIZE });
}
