// Projects one household event from the bus: recorded as any event is (store/households.ts
// appendHouseholdEvent: once, whatever the number of deliveries, in any order), then, if the
// household is referred on, what the receiving agency is given passed on. A command's own event is
// already recorded, so it arrives here as a duplicate; its referral is passed on all the same. An
// enquiry from another system is matched against the stored households as it is first stored, and a
// household closed as a duplicate passes its campaign on to the household it duplicates.
import type { HouseholdEvent } from '../events/catalogue';
import { referralSnapshot } from '../domain/referral';
import { movedAttribution } from '../domain/household';
import { appendHouseholdEvent, receiveMovedAttribution, receiveReferral, type Appended } from '../store/households';
import { possibleDuplicatesOfStored } from '../store/duplicates';

export async function projectHouseholdEvent(event: HouseholdEvent): Promise<Appended> {
  const appended = await appendHouseholdEvent(event, { possibleDuplicates: possibleDuplicatesOfStored });
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
