// The outbox's fault test (docs/rules.md, recording the fact): the local runtime dies (SIGKILL) after a
// command stored its event and answered 202, before the outbox put it on the bus; restarted on the
// same data, the event reaches the bus exactly once and the figures count it once.
import { OUTBOX_FAULT_ENV } from '../../local/settings';
import { startRunningStack, tokenFor, type RunningStack } from '../support/running-stack';

let crashed: RunningStack | undefined;
let restarted: RunningStack | undefined;

afterAll(async () => {
  await restarted?.stop();
  await crashed?.stop();
});

const enquiry = {
  channel: 'website',
  occurredAt: '2019-06-03T11:00:00Z',
  interests: ['short_breaks'],
  contact: { name: 'Enquirer Outbox', email: 'outbox@example.org', phone: '01223 000000' },
};

it('publishes an event stored before the crash, and not yet published, exactly once after the restart', async () => {
  // The runtime picks the moment (the relay has read the event from the stream and every answer in
  // flight has been sent), so the fault is forced, not hoped for; DynamoDB Local goes down with it.
  crashed = await startRunningStack({ env: { [OUTBOX_FAULT_ENV]: 'kill-before-publish' } });
  const recruitment = await tokenFor('cambs', 'recruitment');

  const answer = await crashed.call('POST', '/enquiries', { token: recruitment, body: enquiry });
  expect(answer.status).toBe(202);
  const { eventId, householdId } = answer.body as { eventId: string; householdId: string };

  // The runtime killed itself before publishing; the JVM it started is stopped the same way.
  // (Run through tsx's CLI instead, the program's SIGKILL is reported as exit code 137.)
  const { code, signal } = await crashed.exited();
  expect(signal === 'SIGKILL' || code === 137).toBe(true);
  expect(crashed.output()).toContain('[outbox] fault injected');
  await crashed.killDynamoDbLocal();

  restarted = await startRunningStack({ sameAs: crashed });
  await restarted.idle();

  const onTheBus = await restarted.call('GET', `/_local/events?eventId=${encodeURIComponent(eventId)}`);
  expect(onTheBus.status).toBe(200);
  expect((onTheBus.body.events as Array<{ 'detail-type': string }>).map((event) => event['detail-type'])).toEqual(['EnquiryReceived']);

  // What was stored before the crash is what the figures hold: the enquiry once, and its next step accepted.
  const manager = await tokenFor('cambs', 'manager');
  const household = await restarted.call('GET', `/households/${householdId}`, { token: manager });
  expect(household.status).toBe(200);
  const visit = await restarted.call('POST', `/households/${householdId}/initial-visit`, {
    token: recruitment,
    body: { occurredAt: '2019-06-10T10:00:00Z' },
  });
  expect(visit.status).toBe(202);
  await restarted.idle();
  const funnel = await restarted.call('GET', '/metrics/campaign-conversion?from=2019-04-01&to=2020-03-31', { token: manager });
  expect(funnel.status).toBe(200);
  expect([funnel.body.cohort.enquiries, funnel.body.cohort.initialVisits]).toEqual([1, 1]);
}, 180_000);
