// How long a household's contact details are kept: while an enquiry is open or a carer approved, then
// the agency's retention period for what the household had become, from the closure in force or the
// resignation (the Fostering Services (England) Regulations 2011, reg. 32). Pure: no AWS in here.
import { retentionPeriods, type RetentionPeriodName } from '../events/catalogue';
import { defaultRetentionPeriods, type RetentionPeriods } from './agency-settings';
import { currentClosure, hasApplied, type HouseholdState } from './household';

export { defaultRetentionPeriods, type RetentionPeriods };

const DAY_MS = 86_400_000;

/** What the household had become when its clock started: an enquiry that never reached an
 *  application, an applicant whose application was withdrawn or refused, or an approved carer whose
 *  approval ended; `unrecorded`: details whose enquiry the records never received (judged as an
 *  enquiry's, from when they were taken). */
export type RetentionGround = 'enquiry' | 'applicant' | 'carer' | 'unrecorded';

const periodOf: Record<RetentionGround, RetentionPeriodName> = {
  enquiry: 'enquiryRetentionDays',
  applicant: 'applicantRetentionDays',
  carer: 'carerRetentionDays',
  unrecorded: 'enquiryRetentionDays',
};

/** What the rule knows about one set of contact details. */
export type ContactSubject = { household: HouseholdState } | { household: undefined; contactRecordedAt: string };

/** The fact that starts the retention clock, or undefined while the details are kept without limit. */
export interface RetentionClock {
  ground: RetentionGround;
  since: string;
}

/** The household's clock: a resignation, else (not approved) the closure in force; none while open or approved.
 *  A household open again (reopened, referred back) has none: it keeps everything. */
export function retentionClock(subject: ContactSubject): RetentionClock | undefined {
  const { household } = subject;
  if (household === undefined) return { ground: 'unrecorded', since: subject.contactRecordedAt };
  if (household.resignation) return { ground: 'carer', since: household.resignation.at };
  if (household.approvedAt !== undefined) return undefined; // an approved carer: kept while approved
  const closure = currentClosure(household);
  if (!closure) return undefined;
  return { ground: hasApplied(household) ? 'applicant' : 'enquiry', since: closure.at };
}

const plusDays = (instant: string, days: number) => new Date(Date.parse(instant) + days * DAY_MS).toISOString();

/** The instant from which the details are due for erasure under these periods, or undefined while they are kept. */
export function retentionEndsAt(subject: ContactSubject, periods: RetentionPeriods): string | undefined {
  const clock = retentionClock(subject);
  return clock && plusDays(clock.since, periods[periodOf[clock.ground]]);
}

/** Due at instant `at` once the period since the closure (resignation) has run out: the ground, else undefined. */
export function dueForErasure(subject: ContactSubject, at: string, periods: RetentionPeriods): RetentionGround | undefined {
  const endsAt = retentionEndsAt(subject, periods);
  return endsAt !== undefined && endsAt <= new Date(at).toISOString() ? retentionClock(subject)?.ground : undefined;
}

/** The earliest instant any agency's settings could make a clock due: its start plus the period's
 *  minimum. The job first looks at a clock then, and puts it off to its agency's own date. */
export function earliestDueAt(clock: RetentionClock): string {
  return plusDays(clock.since, retentionPeriods[periodOf[clock.ground]].minimum);
}
