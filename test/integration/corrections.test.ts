// A step recorded by mistake is corrected, never rewritten (docs/rules.md, corrections): the
// correction is a step of its own, with who made it; the mistaken step stays in the timeline, marked,
// and every figure leaves it out, as if it had never been recorded.
import { apiRoute, type ApiRouteName, type Role } from '../../shared/wiring/http-routes';
import { signLocalToken } from '../../local/tokens';
import { startInProcessStack, type Answer, type InProcessStack, type RouteRequest } from '../support/in-process-stack';

let stack: InProcessStack;
const agencyId = 'cambs';
const tokens = new Map<string, string>();

beforeAll(async () => {
  stack = await startInProcessStack();
  for (const role of ['recruitment', 'manager', 'marketing'] as const)
    tokens.set(
      role,
      await signLocalToken({ secret: stack.jwtSecret, groups: [role], agencyId, subject: `staff-${role}`, name: `Ruth ${role}` }),
    );
});
afterAll(() => stack?.stop());

const call = (name: ApiRouteName, role: Role, request: RouteRequest = {}): Promise<Answer> =>
  stack.call(apiRoute(name), request, tokens.get(role));
const household = (householdId: string, body: object = {}): RouteRequest => ({ path: { householdId }, body });
const enquire = async (on: string) =>
  (
    await call('ReceiveEnquiry', 'recruitment', {
      body: { channel: 'website', occurredAt: `${on}T10:00:00Z`, contact: { name: 'Ann Example' } },
    })
  ).body.householdId as string;
const visits = async () => {
  await stack.idle();
  return (await call('CampaignConversion', 'manager', { query: { from: '2019-06-01', to: '2019-06-30' } })).body.cohort.initialVisits;
};

test('a visit recorded for the wrong household is corrected: the figures leave it out, the timeline keeps it, marked', async () => {
  const id = await enquire('2019-06-03');
  const visit = await call('CompleteInitialVisit', 'recruitment', household(id, { occurredAt: '2019-06-10T10:00:00Z' }));
  expect(await visits()).toBe(1);

  const correction = await call('CorrectStep', 'recruitment', household(id, { correctedEventId: visit.body.eventId }));
  expect(correction.status).toBe(202);
  expect(await visits()).toBe(0);
  const record = (await call('GetHousehold', 'recruitment', { path: { householdId: id } })).body;
  expect(record.stages.initialVisitAt).toBeNull();
  expect(record.followUp.state).toBe('awaiting_first_response');
  const byId = new Map(record.timeline.map((entry: { eventId: string }) => [entry.eventId, entry]));
  // Who recorded each step, by the name the staff directory keeps from their sign-in; the bus has the sub alone.
  expect(byId.get(visit.body.eventId)).toMatchObject({
    type: 'InitialVisitCompleted',
    corrected: true,
    recordedBy: 'staff-recruitment',
    recordedByName: 'Ruth recruitment',
  });
  expect(JSON.stringify(stack.settled.map((s) => s.event))).not.toContain('Ruth');
  expect(byId.get(correction.body.eventId)).toMatchObject({
    type: 'StepCorrected',
    correctedEventId: visit.body.eventId,
    recordedBy: 'staff-recruitment',
  });

  // Recorded again with its right date, it counts once.
  expect((await call('CompleteInitialVisit', 'recruitment', household(id, { occurredAt: '2019-06-12T10:00:00Z' }))).status).toBe(202);
  expect(await visits()).toBe(1);
  expect((await call('GetHousehold', 'recruitment', { path: { householdId: id } })).body.stages.initialVisitAt).toBe(
    '2019-06-12T10:00:00.000Z',
  );
});

test('what cannot be corrected is refused, each with its reason', async () => {
  const id = await enquire('2019-06-04');
  const timeline = async () =>
    (await call('GetHousehold', 'recruitment', { path: { householdId: id } })).body.timeline as Array<{ eventId: string; type: string }>;
  const enquiry = (await timeline()).find((e) => e.type === 'EnquiryReceived')!;
  expect(await call('CorrectStep', 'recruitment', household(id, { correctedEventId: enquiry.eventId }))).toMatchObject({
    status: 409,
    body: { error: { code: 'not_correctable' } },
  });
  expect(await call('CorrectStep', 'recruitment', household(id, { correctedEventId: 'no-such-step' }))).toMatchObject({ status: 404 });
  const call1 = await call('RecordContactAttempt', 'recruitment', household(id, { method: 'phone', outcome: 'no_answer' }));
  expect((await call('CorrectStep', 'recruitment', household(id, { correctedEventId: call1.body.eventId }))).status).toBe(202);
  expect(await call('CorrectStep', 'recruitment', household(id, { correctedEventId: call1.body.eventId }))).toMatchObject({
    status: 409,
    body: { error: { code: 'already_corrected' } },
  });
  // Marketing records no steps, so corrects none.
  expect((await call('CorrectStep', 'marketing', household(id, { correctedEventId: call1.body.eventId }))).status).toBe(403);
  // A body without the step to correct names the field.
  expect(await call('CorrectStep', 'recruitment', household(id, {}))).toMatchObject({
    status: 400,
    body: { error: { fields: [expect.objectContaining({ field: 'correctedEventId' })] } },
  });
});

test("an approval with a child placed is corrected only once what depends on it is: the placement's end, then the placement", async () => {
  const id = await enquire('2019-06-05');
  await call('CompleteInitialVisit', 'recruitment', household(id, { occurredAt: '2019-06-10T10:00:00Z' }));
  await call('StartAssessment', 'recruitment', household(id, { occurredAt: '2019-06-20T10:00:00Z' }));
  const approval = await call(
    'ApproveHousehold',
    'recruitment',
    household(id, { category: 'mainstream', approvedBeds: 1, occurredAt: '2019-06-25T10:00:00Z' }),
  );
  const placement = await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-06-26T10:00:00Z' }));
  expect(await call('CorrectStep', 'recruitment', household(id, { correctedEventId: approval.body.eventId }))).toMatchObject({
    status: 409,
    body: { error: { code: 'later_steps_depend' } },
  });
  expect((await call('CorrectStep', 'manager', household(id, { correctedEventId: placement.body.eventId }))).status).toBe(202);
  expect((await call('CorrectStep', 'recruitment', household(id, { correctedEventId: approval.body.eventId }))).status).toBe(202);
  await stack.idle();
  const capacity = (await call('Capacity', 'manager', { query: { at: '2019-06-30' } })).body;
  expect({ households: capacity.households, occupied: capacity.occupiedBeds }).toEqual({ households: 0, occupied: 0 });
  expect((await call('GetHousehold', 'recruitment', { path: { householdId: id } })).body).toMatchObject({
    status: 'open',
    stage: 'assessment',
  });
});
