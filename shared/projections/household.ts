// Projects one household event from the bus: store it once, fold it into the household, pass a
// referral on. An event in order (after every event the stored state has folded: the usual case, one
// household's events being delivered one at a time) is folded onto the stored state: one read of one
// item of bounded size (household-years.ts) and one conditional write, whatever the household's
// history: the event is stored on the state item, its own item written from the stream
// (store/event-archive.ts). A redelivery of the last event folded is known from the state item alone.
// A late event, an older duplicate, or one that finds the state changed, reads the partition (once it
// holds every event the state folded) and refolds. A command's own event is already
// stored (the command wrote it before answering), so it arrives here as a duplicate and changes
// nothing. A refer-a-friend reward newly due is stored with the state that makes it due, as an
// outbox entry (store/households.ts), whichever write that is.
import { isDeepStrictEqual } from 'node:util';
import type { HouseholdEvent } from '../events/catalogue';
import { comesAfterFolded, foldHousehold, foldOnto, toUtcInstant, type HouseholdState } from '../domain/household';
import { referralSnapshot } from '../domain/referral';
import {
  readCompletePartition,
  readStoredHousehold,
  writeHouseholdEvent,
  writeHouseholdState,
  writeReferralIn,
  type HouseholdPartition,
} from '../store/households';

const MAX_ATTEMPTS = 8;

export type ProjectionResult = { outcome: 'written' | 'duplicate'; state: HouseholdState };

export async function projectHouseholdEvent(event: HouseholdEvent): Promise<ProjectionResult> {
  const inOrder = await foldedOntoStoredState(event);
  if (inOrder) return inOrder;
  return refoldedWith(event);
}

/** The event folded onto the stored state and written, if it comes after everything the state has
 *  folded; undefined when it needs the partition (late, a duplicate, or the state changed meanwhile). */
async function foldedOntoStoredState(event: HouseholdEvent): Promise<ProjectionResult | undefined> {
  const { agencyId, householdId } = event.detail;
  const stored = await readStoredHousehold(agencyId, householdId);
  const previous = stored.state ?? foldHousehold(agencyId, householdId, []);
  if (stored.state?.lastEvent?.eventId === event.detail.eventId && isRecordedLast(stored.state, event)) {
    // Written already (with its state, in one write); the referral may not have been passed on.
    await passReferralOn(stored.state);
    return { outcome: 'duplicate', state: stored.state };
  }
  if (!comesAfterFolded(previous, event)) return undefined;
  const state = foldOnto(previous, event);
  if ((await writeHouseholdEvent(event, state, stored.version, { previous: stored.state })) !== 'written') return undefined;
  await passReferralOn(state);
  return { outcome: 'written', state };
}

/** The state's last event is this one (same id and instant): a redelivery, not a new event. */
function isRecordedLast(state: HouseholdState, event: HouseholdEvent): boolean {
  return state.lastEvent?.at === toUtcInstant(event.detail.occurredAt);
}

async function refoldedWith(event: HouseholdEvent): Promise<ProjectionResult> {
  const { agencyId, householdId } = event.detail;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const partition = await readCompletePartition(agencyId, householdId);
    if (partition.events.some((e) => e.detail.eventId === event.detail.eventId)) {
      const repaired = await repairStaleState(partition, agencyId, householdId);
      if (repaired === 'conflict') continue;
      // Written already, but the delivery that wrote it may have failed before passing the referral on.
      await passReferralOn(repaired);
      return { outcome: 'duplicate', state: repaired };
    }
    const state = foldHousehold(agencyId, householdId, [...partition.events, event], partition.referralsIn);
    const outcome = await writeHouseholdEvent(event, state, partition.version, {
      previous: partition.state,
      storedYears: partition.yearSpans,
    });
    if (outcome === 'conflict') continue;
    if (outcome === 'written') await passReferralOn(state);
    return { outcome, state: outcome === 'written' ? state : (partition.state ?? state) };
  }
  throw new Error(`household ${householdId}: state kept changing under ${MAX_ATTEMPTS} attempts, retry later`);
}

/**
 * An event and the state that folds it are written in one write, so in DynamoDB a stored event
 * always has its state. An emulator killed mid-transaction promises no such thing: a state that folds
 * fewer events than the partition holds is folded again and written, so a redelivery repairs a torn
 * write instead of skipping it as a duplicate. Costs nothing otherwise (eventCount is in the state).
 */
async function repairStaleState(
  partition: HouseholdPartition,
  agencyId: string,
  householdId: string,
): Promise<HouseholdState | 'conflict'> {
  const distinctEvents = new Set(partition.events.map((e) => e.detail.eventId)).size;
  if (partition.state && partition.state.eventCount === distinctEvents) return partition.state;
  const state = foldHousehold(agencyId, householdId, partition.events, partition.referralsIn);
  const options = { previous: partition.state, storedYears: partition.yearSpans };
  return (await writeHouseholdState(state, partition.version, options)) === 'written' ? state : 'conflict';
}

/** Re-sent whenever the referring household changes, so late events reach the receiving agency too. */
async function passReferralOn(state: HouseholdState): Promise<void> {
  const referral = referralSnapshot(state);
  if (!referral) return;
  const toAgencyId = state.referredOut!.toAgencyId;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const partition = await readCompletePartition(toAgencyId, state.householdId);
    const known = partition.referralsIn.find((r) => r.fromAgencyId === referral.fromAgencyId);
    if (known && isDeepStrictEqual(known, withoutUndefined(referral))) return;
    const referralsIn = [...partition.referralsIn.filter((r) => r.fromAgencyId !== referral.fromAgencyId), referral];
    const received = foldHousehold(toAgencyId, state.householdId, partition.events, referralsIn);
    const options = { previous: partition.state, storedYears: partition.yearSpans };
    if ((await writeReferralIn(toAgencyId, state.householdId, referral, received, partition.version, options)) === 'written') return;
  }
  throw new Error(`household ${state.householdId}: could not pass the referral on to ${toAgencyId}, retry later`);
}

/** As DynamoDB gives it back: attributes that were undefined are simply absent. */
function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
