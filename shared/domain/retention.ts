// How long a household's contact details are kept: while an enquiry is open or a carer approved, then
// the retention period from the closure in force or the resignation. Pure: no AWS in here.
import * as z from 'zod';
import { RETENTION_DAYS_ENV } from '../wiring/environment';
import { currentClosure, type HouseholdState } from './household';

/** Two years after an enquiry closes. */
export const DEFAULT_RETENTION_DAYS = 730;

const DAY_MS = 86_400_000;

const RetentionDays = z.coerce.number().int().min(1).max(36_500);

/** The configured period: absent or empty means the default; anything else must be a whole number of days ≥ 1. */
export function retentionDaysFrom(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
  const parsed = RetentionDays.safeParse(raw);
  // Fails loudly: a mistyped period must not erase anything.
  if (!parsed.success) throw new Error(`${RETENTION_DAYS_ENV} must be a whole number of days from 1 to 36500, got "${String(raw)}"`);
  return parsed.data;
}

/** What the rule knows about one set of contact details. */
export type ContactSubject =
  | { household: HouseholdState }
  /** Details whose enquiry the projections never recorded (its event was never delivered): kept
   *  for the retention period from when they were taken, then erased like a closed enquiry's. */
  | { household: undefined; contactRecordedAt: string };

/** Why details fall due: the instant the retention period started from. */
export type RetentionGround = 'closed' | 'resigned' | 'orphaned';

/** The fact that starts the retention clock, or undefined while the details are kept without limit. */
export function retentionStart(subject: ContactSubject): { ground: RetentionGround; since: string } | undefined {
  const { household } = subject;
  if (household === undefined) return { ground: 'orphaned', since: subject.contactRecordedAt };
  if (household.resignation) return { ground: 'resigned', since: household.resignation.at };
  if (household.approvedAt !== undefined) return undefined; // an approved carer: kept while approved
  const closure = currentClosure(household);
  return closure ? { ground: 'closed', since: closure.at } : undefined; // open: kept
}

/** The instant from which the details are due for erasure, or undefined while they are kept. */
export function retentionEndsAt(subject: ContactSubject, retentionDays: number): string | undefined {
  const start = retentionStart(subject);
  return start && new Date(Date.parse(start.since) + retentionDays * DAY_MS).toISOString();
}

/** Due at instant `at` once the retention period since the closure (resignation) has run out. */
export function dueForErasure(subject: ContactSubject, at: string, retentionDays: number): RetentionGround | undefined {
  const endsAt = retentionEndsAt(subject, retentionDays);
  return endsAt !== undefined && endsAt <= new Date(at).toISOString() ? retentionStart(subject)?.ground : undefined;
}

/** The latest closure or resignation instant that is due at `at`: index ranges read up to it. */
export function retentionCutoff(at: string, retentionDays: number): string {
  return new Date(Date.parse(at) - retentionDays * DAY_MS).toISOString();
}
