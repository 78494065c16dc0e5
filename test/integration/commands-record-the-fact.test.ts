// "Records the fact" (docs/rules.md), through the API with no waits between commands: the next command
// sees the last one's event, and of concurrent commands only those the rules allow are accepted.
import type { RouteRequest } from '../support/in-process-stack';
import { stackWithStaff, type StaffCall } from '../support/staff-calls';

const staff = stackWithStaff('cambs', ['recruitment', 'manager', 'marketing']);
const call: StaffCall = (...request) => staff.call(...request);
const household = (householdId: string, body: object = {}): RouteRequest => ({ path: { householdId }, body });

/** Enquiry → initial visit → assessment → approval → placement, each sent the moment the last answered. */
async function throughToPlacement(run: number): Promise<number[]> {
  const enquiry = await call('ReceiveEnquiry', 'recruitment', { body: { channel: 'website', contact: { name: `Applicant ${run}` } } });
  const id = enquiry.body.householdId as string;
  const steps = [
    await call('CompleteInitialVisit', 'recruitment', household(id)),
    await call('StartAssessment', 'recruitment', household(id, { prospectiveBeds: 2 })),
    await call('ApproveHousehold', 'recruitment', household(id, { category: 'mainstream', approvedBeds: 2 })),
    await call('StartPlacement', 'manager', household(id, { placementType: 'time_limited' })),
  ];
  return [enquiry, ...steps].map((answer) => answer.status);
}

test('enquiry, initial visit, assessment, approval and placement in one breath, 20 times over: every answer 202', async () => {
  const statuses: number[][] = [];
  for (let run = 0; run < 20; run++) statuses.push(await throughToPlacement(run));
  expect(statuses).toEqual(Array.from({ length: 20 }, () => [202, 202, 202, 202, 202]));
});

test('a campaign and its spend in one breath, 20 times over: every answer 202', async () => {
  const statuses: number[][] = [];
  for (let run = 0; run < 20; run++) {
    const campaignId = `breath-${run}`;
    const launched = await call('LaunchCampaign', 'marketing', {
      body: { campaignId, name: `Campaign ${run}`, channels: ['facebook'], startsOn: '2019-06-01' },
    });
    const spent = await call('RecordCampaignSpend', 'marketing', { path: { campaignId }, body: { amountPence: 12_500 } });
    statuses.push([launched.status, spent.status]);
  }
  expect(statuses).toEqual(Array.from({ length: 20 }, () => [202, 202]));
});

/** An approved 2-bed household, approved on 1 August 2019, recorded through the API. */
async function approvedTwoBedHousehold(): Promise<string> {
  const enquiry = await call('ReceiveEnquiry', 'recruitment', {
    body: { channel: 'website', occurredAt: '2019-06-03T10:00:00Z', contact: { name: 'Two beds' } },
  });
  const id = enquiry.body.householdId as string;
  expect((await call('StartAssessment', 'recruitment', household(id, { occurredAt: '2019-07-01T10:00:00Z' }))).status).toBe(202);
  expect(
    (
      await call(
        'ApproveHousehold',
        'recruitment',
        household(id, { category: 'mainstream', approvedBeds: 2, occurredAt: '2019-08-01T10:00:00Z' }),
      )
    ).status,
  ).toBe(202);
  return id;
}

test('twelve placements at once at a 2-bed household: exactly two accepted, the others 409, and capacity shows 2 children', async () => {
  const id = await approvedTwoBedHousehold();
  const answers = await Promise.all(
    Array.from({ length: 12 }, () => call('StartPlacement', 'manager', household(id, { occurredAt: '2019-09-01T10:00:00Z' }))),
  );
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses).toEqual([...Array(2).fill(202), ...Array(10).fill(409)]);
  expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.error.code))).toEqual(new Set(['beyond_approved_beds']));

  const view = await call('GetHousehold', 'manager', { path: { householdId: id } });
  expect(view.body.placements).toHaveLength(2);
  // The only household of this file approved by then: capacity counts its two children.
  const capacity = await call('Capacity', 'manager', { query: { at: '2019-09-30' } });
  expect(capacity.body).toMatchObject({ households: 1, approvedBeds: 2, occupiedBeds: 2, vacantBeds: 0 });
});

test('a placement back-dated before an existing one, that would overfill a later date: 409 naming that date', async () => {
  const id = await approvedTwoBedHousehold();
  // One child from September, one from November: both beds are full from November.
  expect((await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-09-01T10:00:00Z' }))).status).toBe(202);
  expect((await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-11-01T10:00:00Z' }))).status).toBe(202);
  // On 1 October only one bed is filled, but a child placed then would still be there in November.
  const backDated = await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-10-01T10:00:00Z' }));
  expect(backDated).toMatchObject({
    status: 409,
    body: { error: expect.objectContaining({ code: 'beyond_approved_beds', message: expect.stringContaining('2019-11-01') }) },
  });
});

test('a bed freed later does not let a back-dated placement overfill the dates before it is freed', async () => {
  const id = await approvedTwoBedHousehold();
  const first = await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-09-01T10:00:00Z' }));
  expect((await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-09-10T10:00:00Z' }))).status).toBe(202);
  expect(
    (
      await call('EndPlacement', 'manager', {
        path: { householdId: id, placementId: first.body.placementId },
        body: { occurredAt: '2019-12-01T10:00:00Z' },
      })
    ).status,
  ).toBe(202);
  // After 1 December one bed is free, but a placement from October would overfill October and November.
  expect((await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-10-01T10:00:00Z' }))).status).toBe(409);
  expect((await call('StartPlacement', 'manager', household(id, { occurredAt: '2019-12-02T10:00:00Z' }))).status).toBe(202);
});

test("every event a command records carries the caller's token subject, shown in the household timeline", async () => {
  const enquiry = await call('ReceiveEnquiry', 'recruitment', { body: { channel: 'phone', contact: { name: 'Audited' } } });
  const id = enquiry.body.householdId as string;
  await call('CompleteInitialVisit', 'recruitment', household(id));
  const view = await call('GetHousehold', 'manager', { path: { householdId: id } });
  expect(view.body.timeline.map((entry: { type: string; recordedBy?: string }) => [entry.type, entry.recordedBy])).toEqual([
    ['EnquiryReceived', 'staff-recruitment'],
    ['InitialVisitCompleted', 'staff-recruitment'],
  ]);
});

test('a stored command reaches the bus once, through the outbox, and its projector finds it already stored', async () => {
  const before = staff.stack.settled.length;
  const enquiry = await call('ReceiveEnquiry', 'recruitment', { body: { channel: 'radio', contact: { name: 'Outbox' } } });
  await staff.stack.idle();
  const delivered = staff.stack.settled
    .slice(before)
    .filter((s) => (s.event.detail as { eventId: string }).eventId === enquiry.body.eventId);
  expect(delivered.map((s) => [s.route, s.outcome])).toEqual([['HouseholdProjector', 'delivered']]);
});
