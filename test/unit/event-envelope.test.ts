// The projectors' EventBridge envelope is Powertools' EventBridgeSchema restated (shared/events/envelope.ts
// says why): the same fields, and the same verdict on the same envelopes.
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { EventBridgeEnvelopeSchema } from '../../shared/events/envelope';

const envelope = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  source: 'fostering.recruitment',
  account: '111122223333',
  time: '2019-07-01T10:00:00Z',
  region: 'eu-west-2',
  resources: ['arn:aws:events:eu-west-2:111122223333:rule/x'],
  'detail-type': 'EnquiryReceived',
  detail: { eventId: 'e-1' },
};

it("has exactly the fields of Powertools' EventBridgeSchema", () => {
  expect(Object.keys(EventBridgeEnvelopeSchema.shape).sort()).toStrictEqual(Object.keys(EventBridgeSchema.shape).sort());
});

it.each([
  ['a full envelope', envelope],
  ['a replayed one', { ...envelope, 'replay-name': 'after-restore' }],
  ['a time that is not ISO 8601', { ...envelope, time: 'yesterday' }],
  ['no id', { ...envelope, id: undefined }],
  ['resources not strings', { ...envelope, resources: [1] }],
  ['no detail-type', { ...envelope, 'detail-type': undefined }],
  ['a number for a version', { ...envelope, version: 0 }],
  ['not an object', 'EnquiryReceived'],
])("gives Powertools' verdict on %s", (_, candidate) => {
  const ours = EventBridgeEnvelopeSchema.safeParse(candidate);
  const theirs = EventBridgeSchema.safeParse(candidate);
  expect(ours.success).toBe(theirs.success);
  expect(ours.data).toStrictEqual(theirs.data);
});
