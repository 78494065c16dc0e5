// When contact details fall due for erasure: the Fostering Services (England) Regulations 2011, reg. 32,
// per household, from the closure in force or the resignation; an agency's periods, never below the law's.
import { foldHousehold } from '../../shared/domain/household';
import {
  defaultRetentionPeriods,
  dueForErasure,
  earliestDueAt,
  retentionClock,
  retentionEndsAt,
  type RetentionPeriods,
} from '../../shared/domain/retention';
import { detailSchemas } from '../../shared/events/catalogue';
import { approval, assessment, closure, enquiry, initialVisit, resignation } from '../support/funnel-events';

const fold = (...events: Parameters<typeof foldHousehold>[2]) => ({ household: foldHousehold('agency-a', 'h1', events) });
const DAY_MS = 86_400_000;
const plusDays = (instant: string, days: number) => new Date(Date.parse(instant) + days * DAY_MS).toISOString();
const defaults: RetentionPeriods = defaultRetentionPeriods;

/** Due a day after the period ends, kept a day before: the boundary of each ground. */
function expectBoundary(subject: Parameters<typeof dueForErasure>[0], since: string, days: number, periods = defaults) {
  const ends = plusDays(since, days);
  expect(retentionEndsAt(subject, periods)).toBe(ends);
  expect(dueForErasure(subject, plusDays(ends, -1), periods)).toBeUndefined();
  expect(dueForErasure(subject, new Date(Date.parse(ends) - 1).toISOString(), periods)).toBeUndefined();
  expect(dueForErasure(subject, ends, periods)).toBe(retentionClock(subject)?.ground);
  expect(dueForErasure(subject, plusDays(ends, 1), periods)).toBe(retentionClock(subject)?.ground);
}

describe('the periods by default', () => {
  it('an enquiry 730 days, an applicant three years (1,095 days), a carer ten years (3,653 days)', () => {
    expect(defaults).toEqual({ enquiryRetentionDays: 730, applicantRetentionDays: 1095, carerRetentionDays: 3653 });
  });
});

describe('when contact details fall due for erasure', () => {
  const closedAt = '2020-02-01T09:00:00.000Z';

  it('an enquiry that never reached an application: enquiryRetentionDays after its closure', () => {
    const closed = fold(enquiry('h1', '2020-01-10'), initialVisit('h1', '2020-01-20'), closure('h1', '2020-02-01', 'not_proceeding'));
    expect(retentionClock(closed)).toEqual({ ground: 'enquiry', since: closedAt });
    expectBoundary(closed, closedAt, 730);
  });

  it('an applicant whose application was withdrawn: applicantRetentionDays after the closure', () => {
    const withdrawn = fold(enquiry('h1', '2019-06-10'), assessment('h1', '2019-09-01'), closure('h1', '2020-02-01', 'AW3'));
    expect(retentionClock(withdrawn)).toEqual({ ground: 'applicant', since: closedAt });
    expectBoundary(withdrawn, closedAt, 1095);
  });

  it('an applicant refused (not approved): applicantRetentionDays after the closure', () => {
    const refused = fold(enquiry('h1', '2019-06-10'), assessment('h1', '2019-09-01'), closure('h1', '2020-02-01', 'not_approved'));
    expectBoundary(refused, closedAt, 1095);
  });

  it('a withdrawal code marks an application even when the assessment itself was never recorded', () => {
    expect(retentionClock(fold(enquiry('h1', '2019-06-10'), closure('h1', '2020-02-01', 'AW1')))?.ground).toBe('applicant');
  });

  it('an approved carer: kept while approved, then carerRetentionDays after the approval ended', () => {
    const serving = fold(enquiry('h1', '2005-01-10'), approval('h1', '2006-06-01'));
    expect(dueForErasure(serving, '2090-01-01T00:00:00.000Z', defaults)).toBeUndefined();
    const resigned = fold(enquiry('h1', '2005-01-10'), approval('h1', '2006-06-01'), resignation('h1', '2021-04-30'));
    expect(retentionClock(resigned)).toEqual({ ground: 'carer', since: '2021-04-30T09:00:00.000Z' });
    expectBoundary(resigned, '2021-04-30T09:00:00.000Z', 3653);
  });

  it('an open enquiry: kept, however old', () => {
    expect(retentionEndsAt(fold(enquiry('h1', '2010-01-10')), defaults)).toBeUndefined();
  });

  it('a household open again keeps everything: reopened after its closure, no clock runs', () => {
    const reopened = fold(enquiry('h1', '2019-01-10'), closure('h1', '2019-02-01', 'no_response'), initialVisit('h1', '2019-05-01'));
    expect(retentionClock(reopened)).toBeUndefined();
    expect(dueForErasure(reopened, '2090-01-01T00:00:00.000Z', defaults)).toBeUndefined();
  });

  it('closed again after reopening: the period runs from the closure in force, by what it had become then', () => {
    const closedAgain = fold(
      enquiry('h1', '2019-01-10'),
      closure('h1', '2019-02-01', 'no_response'),
      assessment('h1', '2019-05-01'),
      closure('h1', '2021-03-01', 'AW2'),
    );
    expect(retentionClock(closedAgain)).toEqual({ ground: 'applicant', since: '2021-03-01T09:00:00.000Z' });
  });

  it('details whose enquiry was never recorded: the enquiry period after they were taken', () => {
    const unrecorded = { household: undefined, contactRecordedAt: '2021-01-01T12:00:00.000Z' };
    expectBoundary(unrecorded, '2021-01-01T12:00:00.000Z', 730);
  });

  it("follows the agency's longer periods", () => {
    const longer = { enquiryRetentionDays: 1000, applicantRetentionDays: 2000, carerRetentionDays: 5000 };
    const withdrawn = fold(enquiry('h1', '2019-06-10'), assessment('h1', '2019-09-01'), closure('h1', '2020-02-01', 'AW3'));
    expectBoundary(withdrawn, closedAt, 2000, longer);
    const closed = fold(enquiry('h1', '2020-01-10'), closure('h1', '2020-02-01', 'other'));
    expectBoundary(closed, closedAt, 1000, longer);
  });

  it('a clock is first looked at when the shortest period any agency may set has run', () => {
    expect(earliestDueAt({ ground: 'enquiry', since: closedAt })).toBe(plusDays(closedAt, 1));
    expect(earliestDueAt({ ground: 'applicant', since: closedAt })).toBe(plusDays(closedAt, 1095));
    expect(earliestDueAt({ ground: 'carer', since: closedAt })).toBe(plusDays(closedAt, 3653));
  });
});

describe("an agency's settings: never below the law's minimums", () => {
  const change = (fields: Record<string, unknown>) =>
    detailSchemas.AgencySettingsChanged.safeParse({
      eventId: 'e1',
      agencyId: 'a',
      occurredAt: '2024-01-01T00:00:00Z',
      attritionRate: 0.1,
      targetInHouseShare: 0.6,
      ...fields,
    });
  const badFields = (fields: Record<string, unknown>) => {
    const parsed = change(fields);
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
  };

  it('takes the minimums themselves and anything longer', () => {
    expect(badFields({ enquiryRetentionDays: 1, applicantRetentionDays: 1095, carerRetentionDays: 3653 })).toEqual([]);
    expect(badFields({ enquiryRetentionDays: 3000, applicantRetentionDays: 4000, carerRetentionDays: 36500 })).toEqual([]);
  });

  it('refuses a day less, naming each field', () => {
    expect(badFields({ enquiryRetentionDays: 0, applicantRetentionDays: 1094, carerRetentionDays: 3652 })).toEqual([
      'enquiryRetentionDays',
      'applicantRetentionDays',
      'carerRetentionDays',
    ]);
  });

  it('says why: the regulation', () => {
    const parsed = change({ applicantRetentionDays: 730 });
    expect(parsed.success ? '' : parsed.error.issues[0]?.message).toMatch(/at least 1095 days: three years \(reg\. 32\)/);
  });
});
