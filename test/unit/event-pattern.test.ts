// The local bus's EventBridge pattern matcher, specified by AWS's own examples. Patterns and events are taken from the
// EventBridge user guide (pages cited per block, under https://docs.aws.amazon.com/eventbridge/latest/userguide/) and,
// where the guide gives only the pattern, from the README of aws/event-ruler, the matching engine behind EventBridge.
import { matchesEventPattern } from '../../local/event-pattern';
import { eventRoutes, type EventPattern } from '../../shared/wiring/event-routes';
import { EVENT_SOURCE, detailTypes } from '../../shared/events/catalogue';

/** `$or` is not part of the EventPattern type (no route uses it), so `$or` examples are typed by this cast. */
const untyped = (pattern: object): EventPattern => pattern as EventPattern;

// The sample EC2 event of eb-event-patterns.html.
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

// The sample event of the aws/event-ruler README, which its operator examples (and the guide's) are written against.
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** The event with some `detail` fields replaced (or removed, given `undefined`). */
function withDetail(detail: Record<string, unknown>) {
  return { ...rulerEvent, detail: { ...rulerEvent.detail, ...detail } };
}

describe('an event pattern (eb-event-patterns.html, eb-create-pattern.html)', () => {
  const terminations: EventPattern = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches an event whose fields named in the pattern all match, ignoring every other field', () => {
    expect(matchesEventPattern(terminations, ec2Event)).toBe(true);
  });

  it('does not match when one of its fields has another value', () => {
    expect(matchesEventPattern(terminations, { ...ec2Event, detail: { state: 'running' } })).toBe(false);
  });

  it('does not match an event that lacks one of its fields', () => {
    const { detail: _omitted, ...withoutDetail } = ec2Event;
    expect(matchesEventPattern(terminations, withoutDetail)).toBe(false);
  });

  it('requires its fields at the same nesting in the event', () => {
    expect(matchesEventPattern({ state: ['terminated'] }, ec2Event)).toBe(false);
  });

  it('matches a field whose value is any one of the values listed: "source": ["aws.ec2", "aws.fargate"]', () => {
    const pattern: EventPattern = { source: ['aws.ec2', 'aws.fargate'] };
    expect(matchesEventPattern(pattern, { source: 'aws.fargate' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.ec2' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.s3' })).toBe(false);
  });

  it('ANDs its fields: Location is "New York" and Day is "Monday" (eb-create-pattern-operators.html)', () => {
    const pattern: EventPattern = { Location: ['New York'], Day: ['Monday'] };
    expect(matchesEventPattern(pattern, { Location: 'New York', Day: 'Monday' })).toBe(true);
    expect(matchesEventPattern(pattern, { Location: 'New York', Day: 'Tuesday' })).toBe(false);
  });

  it('matches strings exactly and case-sensitively: "Name": ["Alice"] (eb-create-pattern-operators.html)', () => {
    expect(matchesEventPattern({ Name: ['Alice'] }, { Name: 'Alice' })).toBe(true);
    expect(matchesEventPattern({ Name: ['Alice'] }, { Name: 'alice' })).toBe(false);
  });

  it('compares numbers numerically and never equals a number to a string', () => {
    expect(matchesEventPattern({ 'x-limit': [3.018e2] }, { 'x-limit': 301.8 })).toBe(true);
    expect(matchesEventPattern({ 'x-limit': ['301.8'] }, { 'x-limit': 301.8 })).toBe(false);
  });

  it('matches booleans exactly', () => {
    expect(matchesEventPattern({ enabled: [true] }, { enabled: true })).toBe(true);
    expect(matchesEventPattern({ enabled: [true] }, { enabled: 'true' })).toBe(false);
  });
});

describe('arrays in events (eb-event-patterns-arrays.html)', () => {
  const pattern: EventPattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('match when the event array and the pattern list share at least one value', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it('do not match when they share no value', () => {
    expect(matchesEventPattern(pattern, { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] })).toBe(false);
    expect(matchesEventPattern(pattern, { resources: [] })).toBe(false);
  });

  it('of objects match a nested pattern when any one element matches it', () => {
    const pattern: EventPattern = { detail: { items: { sku: ['B'] } } };
    expect(matchesEventPattern(pattern, { detail: { items: [{ sku: 'A' }, { sku: 'B' }] } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { items: [{ sku: 'A' }] } })).toBe(false);
  });
});

describe('null values and empty strings (eb-event-patterns-null-values.html)', () => {
  const event = {
    version: '0',
    id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    account: '123456789012',
    time: '2015-11-11T21:31:47Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  it('an empty string in the pattern matches an empty string in the event', () => {
    expect(matchesEventPattern({ detail: { eventVersion: [''] } }, event)).toBe(true);
  });

  it('null in the pattern matches a null value in the event', () => {
    expect(matchesEventPattern({ detail: { responseElements: [null] } }, event)).toBe(true);
  });

  it('null and the empty string are not interchangeable', () => {
    expect(matchesEventPattern({ detail: { responseElements: [''] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { eventVersion: [null] } }, event)).toBe(false);
  });

  it('null in the pattern does not match a missing field', () => {
    expect(matchesEventPattern({ detail: { requestParameters: [null] } }, event)).toBe(false);
  });
});

// Comparison operators: eb-create-pattern-operators.html and eb-event-patterns-content-based-filtering.html.
describe('prefix', () => {
  it('matches a string that begins with it: "time": [{"prefix": "2017-10-02"}]', () => {
    const pattern: EventPattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matchesEventPattern(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matchesEventPattern(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
  });

  it('selects Auto Scaling events from European regions: "region": [{"prefix": "eu-"}]', () => {
    const pattern: EventPattern = { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] };
    expect(matchesEventPattern(pattern, { source: 'aws.autoscaling', region: 'eu-west-1' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.autoscaling', region: 'us-east-1' })).toBe(false);
  });

  it('ignores case when given {"equals-ignore-case": "EventB"}', () => {
    const pattern: EventPattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbridge']) {
      expect(matchesEventPattern(pattern, { detail: { service } })).toBe(true);
    }
    expect(matchesEventPattern(pattern, { detail: { service: 'Lambda' } })).toBe(false);
  });

  it('only matches string values', () => {
    expect(matchesEventPattern({ count: [{ prefix: '12' }] }, { count: 123 })).toBe(false);
  });
});

describe('suffix', () => {
  it('matches a string that ends with it: "FileName": [{"suffix": ".png"}]', () => {
    const pattern: EventPattern = { FileName: [{ suffix: '.png' }] };
    expect(matchesEventPattern(pattern, { FileName: 'image.png' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: 'image.jpg' })).toBe(false);
  });

  it('ignores case when given {"equals-ignore-case": ".png"}', () => {
    const pattern: EventPattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matchesEventPattern(pattern, { detail: { FileName: 'IMAGE.PNG' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { FileName: 'image.gif' } })).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches a string of any casing: "Name": [{"equals-ignore-case": "alice"}]', () => {
    const pattern: EventPattern = { Name: [{ 'equals-ignore-case': 'alice' }] };
    expect(matchesEventPattern(pattern, { Name: 'Alice' })).toBe(true);
    expect(matchesEventPattern(pattern, { Name: 'ALICE' })).toBe(true);
    expect(matchesEventPattern(pattern, { Name: 'Alicia' })).toBe(false);
  });
});

describe('anything-but', () => {
  it('matches any value except the string given: "state": [{"anything-but": "initializing"}]', () => {
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'initializing' }))).toBe(false);
  });

  it('matches any value except the number given: "x-limit": [{"anything-but": 123}]', () => {
    const pattern: EventPattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 123 }))).toBe(false);
  });

  it('matches any value except those of a list of strings: ["stopped", "overloaded"]', () => {
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'stopped' }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ state: 'overloaded' }))).toBe(false);
  });

  it('matches any value except those of a list of numbers: [100, 200, 300]', () => {
    const pattern: EventPattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 200 }))).toBe(false);
  });

  it('matches any value without the prefix given: "state": [{"anything-but": {"prefix": "init"}}]', () => {
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ state: 'initializing' }))).toBe(false);
  });

  it('keeps only our own events: "source": [{"anything-but": {"prefix": "aws."}}]', () => {
    const pattern: EventPattern = { source: [{ 'anything-but': { prefix: 'aws.' } }] };
    expect(matchesEventPattern(pattern, { source: 'fostering.recruitment' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.ec2' })).toBe(false);
  });

  it('matches any value without the suffix given: "FileName": [{"anything-but": {"suffix": ".png"}}]', () => {
    const pattern: EventPattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matchesEventPattern(pattern, { FileName: 'notes.txt' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: 'image.png' })).toBe(false);
  });

  it('ignores case when given {"equals-ignore-case": "initializing"}', () => {
    const pattern: EventPattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(matchesEventPattern(pattern, { state: 'running' })).toBe(true);
    expect(matchesEventPattern(pattern, { state: 'INITIALIZING' })).toBe(false);
  });

  it('excludes what a wildcard matches: "FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]', () => {
    const pattern: EventPattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesEventPattern(pattern, { FilePath: 'src/app/main.ts' })).toBe(true);
    expect(matchesEventPattern(pattern, { FilePath: 'src/lib/util.ts' })).toBe(false);
  });

  it('does not match an event that lacks the field', () => {
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(pattern, withDetail({ state: undefined }))).toBe(false);
    expect(matchesEventPattern(pattern, { source: 'aws.ec2' })).toBe(false);
  });
});

describe('numeric', () => {
  const pattern: EventPattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches when every range holds: c-count in (0, 5], d-count < 10, x-limit = 3.018e2', () => {
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(true);
  });

  it('treats each bound as exclusive or inclusive as its operator says', () => {
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 0 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': 6 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ 'd-count': 10 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 301.9 }))).toBe(false);
    expect(matchesEventPattern({ n: [{ numeric: ['>=', 1, '<', 2] }] }, { n: 1 })).toBe(true);
  });

  it('only matches JSON numbers, not numeric strings', () => {
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': '5' }))).toBe(false);
  });
});

describe('exists', () => {
  it('true matches an event that has the field (eb-event-patterns-content-based-filtering.html)', () => {
    const pattern: EventPattern = { detail: { state: [{ exists: true }] } };
    expect(matchesEventPattern(pattern, ec2Event)).toBe(true);
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { 'c-count': { c1: 100 } },
    };
    expect(matchesEventPattern(pattern, event)).toBe(false);
  });

  it('false matches an event that lacks the field, and one where the field is an object rather than a leaf', () => {
    const pattern: EventPattern = { detail: { 'c-count': [{ exists: false }] } };
    const base = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
    };
    expect(matchesEventPattern(pattern, { ...base, detail: { state: ['initializing', 'running'] } })).toBe(true);
    expect(matchesEventPattern(pattern, { ...base, detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } })).toBe(true);
  });

  it('false does not match an event that has the field, even with a null value', () => {
    const pattern: EventPattern = { detail: { 'c-count': [{ exists: false }] } };
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(false);
    expect(matchesEventPattern(pattern, withDetail({ 'c-count': null }))).toBe(false);
  });
});

describe('wildcard', () => {
  it('"*" matches any run of characters: "source": [{"wildcard": "Simple*Service"}] (aws/event-ruler)', () => {
    const pattern: EventPattern = { source: [{ wildcard: 'Simple*Service' }] };
    expect(matchesEventPattern(pattern, { source: 'SimpleQueueService' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'SimpleService' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'SimpleQueueServices' })).toBe(false);
  });

  it('can appear several times: "*Title*" matches values with "Title" anywhere (AWS Compute Blog)', () => {
    const pattern: EventPattern = { key: [{ wildcard: '*Title*' }] };
    expect(matchesEventPattern(pattern, { key: 'MyTitlePage' })).toBe(true);
    expect(matchesEventPattern(pattern, { key: 'MyPage' })).toBe(false);
  });

  it('"\\*" matches a literal asterisk and nothing else (aws/event-ruler)', () => {
    const pattern: EventPattern = { key: [{ wildcard: 'price\\*' }] };
    expect(matchesEventPattern(pattern, { key: 'price*' })).toBe(true);
    expect(matchesEventPattern(pattern, { key: 'price-list' })).toBe(false);
  });

  it('treats every other character literally', () => {
    expect(matchesEventPattern({ key: [{ wildcard: 'a.c*' }] }, { key: 'abcd' })).toBe(false);
    expect(matchesEventPattern({ key: [{ wildcard: 'a.c*' }] }, { key: 'a.cd' })).toBe(true);
  });
});

describe('$or (aws/event-ruler README, eb-create-pattern-operators.html)', () => {
  it('matches when any of its sub-patterns does, ANDed with the other fields', () => {
    // Effect: source && (metricName || namespace)
    const pattern = untyped({
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    });
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricName: 'CPUUtilization' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/S3' })).toBe(false);
    expect(matchesEventPattern(pattern, { source: 'aws.s3', metricName: 'CPUUtilization' })).toBe(false);
  });

  it('works at any nesting level, and its sub-patterns may AND several fields and nest another $or', () => {
    // Effect: source && (metricName || (metricType && namespace && (metricId || spaceId)) || scope), inside detail
    const pattern = untyped({
      detail: {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency'] },
          {
            metricType: ['MetricType'],
            namespace: ['AWS/EC2', 'AWS/ES'],
            $or: [{ metricId: [1234] }, { spaceId: [1000] }],
          },
          { scope: ['Service'] },
        ],
      },
    });
    const detail = { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' };
    expect(matchesEventPattern(pattern, { detail: { ...detail, spaceId: 1000 } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { ...detail, spaceId: 999 } })).toBe(false);
    expect(matchesEventPattern(pattern, { detail: { source: 'aws.cloudwatch', scope: 'Service' } })).toBe(true);
  });

  it("combines with numeric ranges: c-count in (0, 5] or d-count < 10 (after the guide's numeric example)", () => {
    const pattern = untyped({
      detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] },
    });
    expect(matchesEventPattern(pattern, { detail: { 'c-count': 9, 'd-count': 3 } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { 'c-count': 9, 'd-count': 30 } })).toBe(false);
  });
});

describe('a pattern combining several operators (eb-event-patterns-content-based-filtering.html)', () => {
  const pattern: EventPattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
    },
  };

  it('matches only when every one of its conditions holds', () => {
    expect(matchesEventPattern(pattern, rulerEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail({ 'x-limit': 300 }))).toBe(false);
    expect(matchesEventPattern(pattern, { ...rulerEvent, time: '2017-10-03T00:00:00Z' })).toBe(false);
  });
});

describe('our routes (shared/wiring/event-routes.ts)', () => {
  const routesFor = (event: object) => eventRoutes.filter((route) => matchesEventPattern(route.pattern, event)).map((route) => route.name);
  const ourEvent = (detailType: string) => ({
    version: '0',
    id: 'e-1',
    source: EVENT_SOURCE,
    'detail-type': detailType,
    account: '123456789012',
    time: '2026-01-05T10:00:00Z',
    region: 'eu-west-2',
    resources: [],
    detail: { eventId: 'e-1', agencyId: 'agency-1', occurredAt: '2026-01-05T10:00:00Z', householdId: 'h-1' },
  });

  it('send a HoldStarted event of our source to the HouseholdProjector, not the CampaignProjector', () => {
    const matched = routesFor(ourEvent('HoldStarted'));
    expect(matched).toContain('HouseholdProjector');
    expect(matched).not.toContain('CampaignProjector');
    expect(matched).toEqual(['HouseholdProjector']);
  });

  it('send an unknown detail-type of our source only to the UnknownEventRejector', () => {
    expect(routesFor(ourEvent('HoldExtended'))).toEqual(['UnknownEventRejector']);
  });

  it.each(detailTypes)('send a %s event of our source to exactly one projector, never to the rejector', (detailType) => {
    const matched = routesFor(ourEvent(detailType));
    expect(matched).toHaveLength(1);
    expect(matched).not.toContain('UnknownEventRejector');
  });

  it('send an event of another source nowhere', () => {
    expect(routesFor({ ...ourEvent('HoldStarted'), source: 'aws.ec2' })).toEqual([]);
  });
});
