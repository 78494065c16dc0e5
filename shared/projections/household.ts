// Projects one household event from the bus: recorded as any event is (store/households.ts
// appendHouseholdEvent: once, whatever the number of deliveries, in any order), then, if the
// household is referred on, what the receiving agency is given passed on. A command's own event is
// already recorded, so it arrives here as a duplicate; its referral is passed on all the same.
import type { HouseholdEvent } from '../events/catalogue';
import { referralSnapshot } from '../domain/referral';
import { appendHouseholdEvent, receiveReferral, type Appended } from '../store/households';

export async function projectHouseholdEvent(event: HouseholdEvent): Promise<Appended> {
  const appended = await appendHouseholdEvent(event);
  const referral = referralSnapshot(appended.state);
  // Passed on again whenever the referring household changes, so late events reach the receiving agency too.
  if (referral) await receiveReferral(appended.state.referredOut!.toAgencyId, appended.state.householdId, referral);
  return appended;
}
