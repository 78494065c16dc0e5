// Which commands a household's state allows (the API answers 404 or 409 with the reason).
// Events from other systems are not checked here: the bus takes facts, the API takes requests.
import type { HouseholdDetailType } from '../events/catalogue';
import { currentClosure, statusOf, type HouseholdState } from './household';

export type CommandVerdict =
  | { allowed: true }
  | { allowed: false; status: 404 | 409; code: string; message: string };

const allowed: CommandVerdict = { allowed: true };
const conflict = (code: string, message: string): CommandVerdict => ({ allowed: false, status: 409, code, message });

/** Commands that move a household through recruitment; closed, approved or resigned households refuse them. */
const recruitmentSteps: ReadonlySet<HouseholdDetailType> = new Set([
  'InitialVisitCompleted', 'AssessmentStarted', 'HouseholdApproved', 'EnquiryClosed', 'EnquiryReferredOn',
]);

export function checkHouseholdCommand(state: HouseholdState | undefined, command: HouseholdDetailType): CommandVerdict {
  if (!state) return { allowed: false, status: 404, code: 'not_found', message: 'no such household in this agency' };
  const status = statusOf(state);
  if (status === 'resigned') return conflict('household_resigned', `the household resigned on ${state.resignation!.at.slice(0, 10)}`);
  if (recruitmentSteps.has(command)) {
    if (status === 'closed') {
      const closure = currentClosure(state)!;
      return conflict('household_closed', `the household's enquiry was closed (${closure.reason}) on ${closure.at.slice(0, 10)}`);
    }
    if (status === 'approved') return conflict('household_approved', `the household was approved on ${state.approvedAt!.slice(0, 10)}`);
  }
  return allowed;
}
