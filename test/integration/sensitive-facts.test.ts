// Sensitive facts about carers (docs/security.md): the reasons of holds, risk flags and resignations,
// and managers' notes, reach the agency's managers only. Generated from the route table: every read,
// as each role that may call it; whatever the read, no household in a non-manager's answer carries
// one, and a regional answer names no household at all.
import { apiRoutes as routeTable, type ApiRoute, type ApiRouteName, type Role } from '../../shared/wiring/http-routes';
import { anEvent } from '../support/funnel-events';
import { actingAgency, routeFixtures } from '../support/route-fixtures';
import { documentText } from '../support/docx';
import { startInProcessStack, pathParameters, type Answer, type InProcessStack } from '../support/in-process-stack';
import { signLocalToken } from '../../local/tokens';

const apiRoutes: ReadonlyArray<ApiRoute & { name: ApiRouteName }> = routeTable;
const agencyId = 'cambs';
const regionId = 'east-of-england';

/** Reasons chosen to appear nowhere else in this agency's records, and a manager's words. */
const HOLD_REASON = 'allegation';
const RISK_REASON = 'dissatisfied';
const RESIGNATION_REASON = 'standards_of_care';
const NOTE = 'Sensitive-note: carer awaiting surgery';
const sensitive = [HOLD_REASON, RISK_REASON, RESIGNATION_REASON, NOTE];

const carer = 'carer-with-hold-and-risk';
const resigned = 'carer-resigned';
const on = (date: string) => `${date}T10:00:00Z`;

let stack: InProcessStack;
/** A hub's route is asked by the region's hub (route-fixtures.ts); the agency's records are still there to leak. */
const token = (role: Role, agency = agencyId) =>
  signLocalToken({
    secret: stack.jwtSecret,
    groups: [role],
    subject: `sub-${role}`,
    ...(role === 'regional' ? { regionId } : { agencyId: agency }),
  });

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startInProcessStack();
  await stack.record(
    anEvent('EnquiryReceived', on('2019-06-03'), { agencyId, householdId: carer, channel: 'website' }),
    anEvent('HouseholdApproved', on('2019-08-01'), { agencyId, householdId: carer, category: 'mainstream', approvedBeds: 2 }),
    anEvent('HoldStarted', on('2019-08-10'), { agencyId, householdId: carer, holdId: 'hold-1', reason: HOLD_REASON, beds: 1 }),
    anEvent('EnquiryReceived', on('2019-06-04'), { agencyId, householdId: resigned, channel: 'website' }),
    anEvent('HouseholdApproved', on('2019-08-02'), { agencyId, householdId: resigned, category: 'mainstream', approvedBeds: 1 }),
    anEvent('HouseholdResigned', on('2019-09-20'), { agencyId, householdId: resigned, reason: RESIGNATION_REASON, initiatedBy: 'agency' }),
  );
  // The risk flag through its command: the note is kept apart, with the contact details.
  const flagged = await stack.call(
    apiRoutes.find((r) => r.name === 'FlagResignationRisk')!,
    { path: { householdId: carer }, body: { reason: RISK_REASON, likelihood: 0.8, note: NOTE, occurredAt: on('2019-09-01') } },
    await token('manager'),
  );
  expect(flagged.status).toBe(202);
  await stack.idle();
}, 60_000);
afterAll(() => stack?.stop());

/** The text of an answer, whatever its form. */
async function textOf(answer: Answer): Promise<string> {
  if (Buffer.isBuffer(answer.body)) return documentText(answer.body);
  return typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
}

/** Every object in a JSON answer that stands for one of these households (it names it by `householdId`). */
function householdRecords(value: unknown, ids: readonly string[], found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((entry) => householdRecords(entry, ids, found));
  else if (value && typeof value === 'object') {
    if (ids.includes((value as { householdId?: string }).householdId ?? '')) found.push(value);
    Object.values(value).forEach((entry) => householdRecords(entry, ids, found));
  }
  return found;
}

/** The request for a route: its fixture's, pointed at the sensitive carer where the path names a household. */
async function requestFor(route: ApiRoute & { name: ApiRouteName }, role: Role) {
  const request = await routeFixtures[route.name].prepare({ agencyId, record: stack.record });
  const path = pathParameters(route).includes('householdId') ? { ...request.path, householdId: carer } : request.path;
  const query = role === 'regional' ? { ...request.query, region: regionId } : request.query;
  return { ...request, path, query };
}

const reads = apiRoutes.filter((route) => route.method === 'GET' && route.allowedRoles.length > 0);
const cases = reads.flatMap((route) =>
  (route.allowedRoles as readonly Role[])
    .filter((role) => role !== 'regional' || route.regional === true)
    .map((role) => [route.name, role, route] as const),
);

describe.each(cases)('%s as %s', (_name, role, route) => {
  test(
    role === 'manager' ? 'may show the reasons and notes' : 'shows no reason of a hold, risk flag or resignation, and no note',
    async () => {
      const answer = await stack.call(
        route,
        await requestFor(route, role),
        await token(role, actingAgency(routeFixtures[route.name], agencyId)),
      );
      expect(answer.status).toBe(200);
      const text = await textOf(answer);
      if (role === 'manager') return;
      // A note is for managers whatever the answer: it appears nowhere else.
      expect(text).not.toContain(NOTE);
      if (role === 'regional') {
        // Counts only: no household named at all.
        expect([carer, resigned].filter((id) => text.includes(id))).toEqual([]);
        return;
      }
      const records = householdRecords(typeof answer.body === 'object' && !Buffer.isBuffer(answer.body) ? answer.body : null, [
        carer,
        resigned,
      ]);
      const leaks = records.map((record) => JSON.stringify(record)).filter((json) => sensitive.some((fact) => json.includes(`"${fact}"`)));
      expect(leaks).toEqual([]);
    },
  );
});

test("a manager's household record carries every reason and the note: what the others are refused is there to refuse", async () => {
  const getHousehold = apiRoutes.find((r) => r.name === 'GetHousehold')!;
  const carerAnswer = await stack.call(getHousehold, { path: { householdId: carer } }, await token('manager'));
  expect(carerAnswer.body.holds).toEqual([expect.objectContaining({ holdId: 'hold-1', reason: HOLD_REASON })]);
  expect(carerAnswer.body.riskFlags).toEqual([expect.objectContaining({ reason: RISK_REASON, note: NOTE })]);
  const resignedAnswer = await stack.call(getHousehold, { path: { householdId: resigned } }, await token('manager'));
  expect(resignedAnswer.body.resignation).toEqual(expect.objectContaining({ reason: RESIGNATION_REASON }));

  for (const role of ['recruitment', 'marketing'] as const) {
    const seen = await stack.call(getHousehold, { path: { householdId: carer } }, await token(role));
    // The facts themselves stay: the hold with its beds and dates, the flag with its likelihood.
    expect(seen.body.holds).toEqual([expect.objectContaining({ holdId: 'hold-1', beds: 1 })]);
    expect(seen.body.riskFlags).toEqual([expect.objectContaining({ likelihood: 0.8 })]);
    expect(JSON.stringify(seen.body)).not.toMatch(new RegExp(`"(${HOLD_REASON}|${RISK_REASON})"`));
    const resignation = await stack.call(getHousehold, { path: { householdId: resigned } }, await token(role));
    expect(resignation.body.resignation).toEqual({ at: '2019-09-20T10:00:00.000Z', initiatedBy: 'agency' });
  }
});
