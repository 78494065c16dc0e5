// The retention periods as agency settings: a manager may set them longer, never shorter than the
// law's minimums; a period below one is refused with a 400 naming each field, and the same change sent
// on the bus by another system is dead-lettered naming it.
import { EVENT_SOURCE } from '../../shared/events/catalogue';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { apiRoutes, type ApiRouteName } from '../../shared/wiring/http-routes';
import { signLocalToken } from '../../local/tokens';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';

const route = (name: ApiRouteName) => apiRoutes.find((r) => r.name === name)!;
const agencyId = 'cambs';
let stack: InProcessStack;
const manager = () => signLocalToken({ secret: stack.jwtSecret, groups: ['manager'], agencyId, subject: 'sub-manager' });
const forecastSettings = { attritionRate: 0.1, targetInHouseShare: 0.6 };

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startInProcessStack();
});
afterAll(() => stack?.stop());

test('the defaults: 730 days for an enquiry, the minimums (three and ten years) for an applicant and a carer', async () => {
  const answer = await stack.call(route('GetAgencySettings'), {}, await manager());
  expect(answer.body).toMatchObject({ enquiryRetentionDays: 730, applicantRetentionDays: 1095, carerRetentionDays: 3653 });
});

test('a day below each minimum is refused, naming every field; nothing is recorded', async () => {
  const before = stack.settled.length;
  const refused = await stack.call(
    route('ChangeAgencySettings'),
    { body: { ...forecastSettings, enquiryRetentionDays: 0, applicantRetentionDays: 1094, carerRetentionDays: 3652 } },
    await manager(),
  );
  expect(refused.status).toBe(400);
  expect(refused.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
    'applicantRetentionDays',
    'carerRetentionDays',
    'enquiryRetentionDays',
  ]);
  expect(refused.body.error.fields.find((f: { field: string }) => f.field === 'carerRetentionDays').message).toMatch(
    /ten years \(reg\. 32\)/,
  );
  await stack.idle();
  expect(stack.settled.length).toBe(before);
});

test('the minimums themselves, and longer, are taken and in force at once; a change without them keeps them', async () => {
  const taken = await stack.call(
    route('ChangeAgencySettings'),
    { body: { ...forecastSettings, enquiryRetentionDays: 1, applicantRetentionDays: 1095, carerRetentionDays: 4000 } },
    await manager(),
  );
  expect(taken.status).toBe(202);
  expect(taken.body).toMatchObject({ enquiryRetentionDays: 1, applicantRetentionDays: 1095, carerRetentionDays: 4000 });
  await stack.idle();
  expect(
    (await stack.call(route('ChangeAgencySettings'), { body: { ...forecastSettings, attritionRate: 0.2 } }, await manager())).status,
  ).toBe(202);
  await stack.idle();
  const read = await stack.call(route('GetAgencySettings'), {}, await manager());
  expect(read.body).toMatchObject({ attritionRate: 0.2, enquiryRetentionDays: 1, applicantRetentionDays: 1095, carerRetentionDays: 4000 });
});

test("another system's change below a minimum is dead-lettered, naming the field", async () => {
  const letters = stack.deadLetters.length;
  stack.bus.putEvents({
    Entries: [
      {
        EventBusName: EVENT_BUS_NAME,
        Source: EVENT_SOURCE,
        DetailType: 'AgencySettingsChanged',
        Detail: JSON.stringify({
          eventId: 'settings-from-elsewhere',
          agencyId,
          occurredAt: new Date().toISOString(),
          ...forecastSettings,
          applicantRetentionDays: 365,
        }),
      },
    ],
  });
  await stack.idle();
  const dead = stack.deadLetters.slice(letters);
  expect(dead).toHaveLength(1);
  expect(dead[0]!.reason).toContain('detail.applicantRetentionDays:');
  expect((await stack.call(route('GetAgencySettings'), {}, await manager())).body.applicantRetentionDays).toBe(1095);
});
