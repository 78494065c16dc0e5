// Calling the in-process stack's routes as the agency's staff: one signed token per role, its subject
// `staff-<role>` (what `recordedBy` then holds).
import { signLocalToken } from '../../local/tokens';
import { apiRoute, type ApiRouteName, type Role } from '../../shared/wiring/http-routes';
import { startInProcessStack, type Answer, type InProcessStack, type RouteRequest } from './in-process-stack';

export type StaffCall = (name: ApiRouteName, role: Role, request?: RouteRequest) => Promise<Answer>;

export async function staffCalls(stack: InProcessStack, agencyId: string, roles: readonly Role[]): Promise<StaffCall> {
  const tokens = new Map<Role, string>();
  for (const role of roles)
    tokens.set(role, await signLocalToken({ secret: stack.jwtSecret, groups: [role], agencyId, subject: `staff-${role}` }));
  return (name, role, request = {}) => stack.call(apiRoute(name), request, tokens.get(role));
}

/** The file's own in-process stack, started before its tests (then `prepare`d) and stopped after them,
 *  its routes called as the agency's staff in each role. */
export function stackWithStaff(agencyId: string, roles: readonly Role[], prepare?: (stack: InProcessStack) => Promise<void>) {
  const staff = {} as { stack: InProcessStack; call: StaffCall };
  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    staff.stack = await startInProcessStack();
    staff.call = await staffCalls(staff.stack, agencyId, roles);
    await prepare?.(staff.stack);
  });
  afterAll(() => staff.stack?.stop());
  return staff;
}
