// Projects one household event from the bus: recorded as any event is (store/households.ts
// appendHouseholdEvent: once, whatever the number of deliveries, in any order), then, if the
// household is referred on, what the receiving agency is given passed on. A command's own event is
// already recorded, so it arrives here as a duplicate; its referral is passed on all the same. An
// imported enquiry is matched against the stored households as it is first stored, and a
// household closed as a duplicate passes its campaign on to the household it duplicates.
import type { HouseholdEvent } from '../events/catalogue';
import { referralSnapshot } from '../domain/referral';
import { movedAttribution } from '../domain/household';
import { appendHouseholdEvent, receiveMovedAttribution, receiveReferral, type Appended } from '../store/households';
import { possibleDuplicatesOfStored } from '../store/duplicates';
import { IMPORT_TOOL_SUB } from '../store/audit';

export async function projectHouseholdEvent(event: HouseholdEvent): Promise<Appended> {
  // Only the import stores an enquiry's contact details before its event comes; another system's
  // enquiry brings none (no contact detail is ever on the bus), so there is nothing to match it on.
  const imported = event.detail.recordedBy === IMPORT_TOOL_SUB;
  const appended = await appendHouseholdEvent(event, imported ? { possibleDuplicates: possibleDuplicatesOfStored } : {});
  const { state } = appended;
  const referral = referralSnapshot(state);
  // Passed on again whenever the referring household changes, so late events reach the receiving agency too.
  if (referral) await receiveReferral(state.referredOut!.toAgencyId, state.householdId, referral);
  // Likewise the campaign of a duplicate, and taken back when its closure is reopened or corrected (a
  // corrected closure is gone from the state: any correction of a marked household is passed on).
  const earlier = state.possibleDuplicateOf?.[0];
  if (earlier && (state.closures.some((c) => c.reason === 'duplicate') || state.correctedEventIds !== undefined))
    await receiveMovedAttribution(state.agencyId, earlier, state.householdId, movedAttribution(state)?.attribution);
  return appended;
}
