// The two kinds of message a route's SQS dead-letter queue holds in AWS (samples after the EventBridge
// and Lambda guides), and the PutEvents entry that puts the original event back on the bus.
import type { Message } from '@aws-sdk/client-sqs';
import { parseDeadLetterMessage, putEventsEntryFor } from '../../tools/redrive/queue-messages';

const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EnquiryReceived',
  source: 'fostering.recruitment',
  account: '123456789012',
  time: '2019-07-08T11:00:00Z',
  region: 'eu-west-2',
  resources: [],
  detail: { eventId: 'evt-1', agencyId: 'cambs', occurredAt: '2019-07-08T11:00:00.000Z', householdId: 'hh-1', channel: 'facebook' },
};

const stringAttribute = (StringValue: string) => ({ DataType: 'String', StringValue });

/** EventBridge could not invoke the target: the body is the event, the reason in the attributes. */
const ruleDeadLetter: Message = {
  MessageId: '3a9a1d5e-0c1b-4f0e-9d1a-2b1f0c9e8d7a',
  ReceiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...',
  MD5OfBody: '2c9b5b2f6a8d1e3f4a5b6c7d8e9f0a1b',
  Body: JSON.stringify(event),
  Attributes: { SentTimestamp: '1562583700000' },
  MessageAttributes: {
    RULE_ARN: stringAttribute('arn:aws:events:eu-west-2:123456789012:rule/fostering/HouseholdProjectorRule'),
    TARGET_ARN: stringAttribute('arn:aws:lambda:eu-west-2:123456789012:function:HouseholdProjector'),
    ERROR_CODE: stringAttribute('THROTTLING'),
    ERROR_MESSAGE: stringAttribute('Rate Exceeded.'),
    EXHAUSTED_RETRY_CONDITION: stringAttribute('MaximumRetryAttempts'),
    RETRY_ATTEMPTS: stringAttribute('20'),
  },
};

/** The projector ran and threw on every attempt: Lambda's invocation record, the event as requestPayload. */
const invocationRecord = (overrides: Record<string, unknown> = {}) => ({
  version: '1.0',
  timestamp: '2019-07-08T11:03:05.568Z',
  requestContext: {
    requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
    functionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:HouseholdProjector:$LATEST',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: event,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: {
    errorType: 'InvalidEventError',
    errorMessage: 'invalid EnquiryReceived (id 6a7e8feb-b491-4cf7-a9f1-bf3703467718): detail.channel: Invalid option',
    trace: ['InvalidEventError: invalid EnquiryReceived', '    at /var/task/index.js:1:2345'],
  },
  ...overrides,
});
const destinationMessage = (record: unknown): Message => ({
  MessageId: '9c2f6a0e-1d3b-4c5d-8e7f-0a1b2c3d4e5f',
  ReceiptHandle: 'AQEB6nR4...',
  Body: JSON.stringify(record),
  Attributes: { SentTimestamp: '1562583785568' },
});

describe("a message in a route's dead-letter queue", () => {
  it('from the rule target (EventBridge could not invoke the projector) gives back the event itself, with ERROR_CODE and ERROR_MESSAGE as the reason', () => {
    expect(parseDeadLetterMessage(ruleDeadLetter)).toStrictEqual({
      ok: true,
      writer: 'rule-dlq',
      event,
      reason: 'THROTTLING: Rate Exceeded.',
    });
  });

  it("from the projector's on-failure destination (it threw on every attempt) gives back requestPayload, with the error as the reason", () => {
    expect(parseDeadLetterMessage(destinationMessage(invocationRecord()))).toStrictEqual({
      ok: true,
      writer: 'lambda-on-failure',
      event,
      reason:
        'RetriesExhausted after 3 attempt(s): InvalidEventError: invalid EnquiryReceived (id 6a7e8feb-b491-4cf7-a9f1-bf3703467718): detail.channel: Invalid option',
    });
  });

  it('from the destination when the event grew too old to try again, without an error payload, still gives the event back', () => {
    const record = invocationRecord({
      requestContext: {
        requestId: 'r-2',
        functionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:HouseholdProjector:$LATEST',
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 0,
      },
      responseContext: undefined,
      responsePayload: undefined,
    });
    expect(parseDeadLetterMessage(destinationMessage(record))).toMatchObject({
      ok: true,
      event,
      reason: 'EventAgeExceeded after 0 attempt(s): no error message',
    });
  });

  it('that is neither shape, or not JSON, is reported and not redriven', () => {
    expect(parseDeadLetterMessage({ Body: JSON.stringify({ Records: [{ eventSource: 'aws:s3' }] }) })).toStrictEqual({
      ok: false,
      problem: 'neither an EventBridge event nor a Lambda invocation record',
    });
    expect(parseDeadLetterMessage(destinationMessage(invocationRecord({ requestPayload: { Records: [] } })))).toStrictEqual({
      ok: false,
      problem: 'an invocation record whose requestPayload is not an EventBridge event',
    });
    expect(parseDeadLetterMessage({ Body: 'not json' })).toStrictEqual({ ok: false, problem: 'the body is not JSON' });
  });
});

describe('the PutEvents entry of a redriven event', () => {
  it('carries the original source, detail-type, detail and time, for the named bus', () => {
    expect(putEventsEntryFor(event, 'fostering')).toStrictEqual({
      EventBusName: 'fostering',
      Source: 'fostering.recruitment',
      DetailType: 'EnquiryReceived',
      Detail: JSON.stringify(event.detail),
      Time: new Date('2019-07-08T11:00:00Z'),
      Resources: [],
    });
  });
});
