// A reproducible burst of a few hundred mixed events, as other systems would put them on the bus:
// a campaign and its spend, enquiries moving through visit, assessment and approval (or closed, or
// referred on to another agency), placements, holds, approval changes, risk flags, a resignation,
// children-in-care counts and a settings change, with some events sent twice.
import { EVENT_SOURCE, detailSchemas, type DetailType } from '../../shared/events/catalogue';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';

export interface BurstEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** mulberry32: a small seeded generator, so the same seed gives the same burst. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function eventBurst(options: { seed: number; households: number; agencyId: string; referralAgencyId: string }): BurstEvent[] {
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const { agencyId } = options;
  let counter = 0;
  const events: BurstEvent[] = [];
  const add = <T extends DetailType>(detailType: T, at: Date, fields: Record<string, unknown>, agency = agencyId): void => {
    // Parsed with the catalogue's schema, so every event of the burst is valid (the poison is added apart).
    const detail = detailSchemas[detailType].parse({
      eventId: `burst-${options.seed}-${++counter}`,
      agencyId: agency,
      occurredAt: at.toISOString(),
      ...fields,
    });
    events.push({ detailType, detail: detail as Record<string, unknown> });
  };
  const day = (from: Date, days: number) => new Date(from.getTime() + Math.round(days) * 86_400_000);
  const start = new Date('2019-01-07T10:00:00Z');

  add('CampaignLaunched', day(start, -5), {
    campaignId: 'spring-2019',
    name: 'Spring 2019',
    channels: ['facebook', 'radio'],
    startsOn: '2019-01-01',
    agencyIds: [agencyId],
  });
  for (const [days, amountPence] of [
    [0, 120_000],
    [40, 80_000],
    [90, 45_000],
  ] as const) {
    add('CampaignSpendRecorded', day(start, days), { campaignId: 'spring-2019', amountPence });
  }
  add('AgencySettingsChanged', day(start, 1), { attritionRate: 0.12, targetInHouseShare: 0.65 });

  for (let h = 0; h < options.households; h++) {
    const householdId = `hh-${h}`;
    let at = day(start, next() * 150);
    add('EnquiryReceived', at, {
      householdId,
      channel: pick(['website', 'facebook', 'radio', 'phone', 'referral'] as const),
      ...(next() < 0.6 ? { campaignId: 'spring-2019' } : {}),
      ...(h > 0 && next() < 0.05 ? { referredByHouseholdId: `hh-${h - 1}` } : {}),
      interests: next() < 0.4 ? ['teenagers'] : ['short_breaks'],
    });
    const fate = next();
    if (fate < 0.2) {
      add('EnquiryClosed', day(at, 10 + next() * 20), {
        householdId,
        reason: pick(['not_suitable', 'not_proceeding', 'no_response'] as const),
      });
      continue;
    }
    at = day(at, 5 + next() * 25);
    add('InitialVisitCompleted', at, { householdId });
    if (fate < 0.3) {
      add('EnquiryReferredOn', day(at, 3), { householdId, toAgencyId: options.referralAgencyId });
      continue;
    }
    if (fate < 0.4) continue; // still thinking about it
    at = day(at, 10 + next() * 30);
    const prospectiveBeds = 1 + Math.floor(next() * 3);
    add('AssessmentStarted', at, { householdId, prospectiveBeds });
    if (fate < 0.5) {
      add('EnquiryClosed', day(at, 30 + next() * 60), { householdId, reason: pick(['AW1', 'AW3', 'not_approved'] as const) });
      continue;
    }
    if (fate < 0.6) continue; // in assessment
    at = day(at, 60 + next() * 90);
    const beds = prospectiveBeds;
    add('HouseholdApproved', at, {
      householdId,
      category: pick(['mainstream', 'mainstream', 'connected_person_reg24', 'short_breaks'] as const),
      approvedBeds: beds,
    });
    const placements = Math.floor(next() * (beds + 1));
    for (let p = 0; p < placements; p++) {
      const placedAt = day(at, 5 + next() * 60);
      add('PlacementStarted', placedAt, {
        householdId,
        placementId: `${householdId}-p${p}`,
        placementType: pick(['time_limited', 'matched_long_term', 'respite'] as const),
      });
      if (next() < 0.3) add('PlacementEnded', day(placedAt, 20 + next() * 60), { householdId, placementId: `${householdId}-p${p}` });
    }
    if (next() < 0.35) {
      const heldAt = day(at, 10 + next() * 80);
      add('HoldStarted', heldAt, {
        householdId,
        holdId: `${householdId}-h`,
        reason: pick(['carer_health', 'carer_break', 'matching', 'allegation'] as const),
        ...(next() < 0.5 ? { beds: 1 } : {}),
      });
      if (next() < 0.4) add('HoldEnded', day(heldAt, 15 + next() * 40), { householdId, holdId: `${householdId}-h` });
    }
    if (next() < 0.15) add('ApprovalChanged', day(at, 100), { householdId, approvedBeds: beds + 1 });
    if (next() < 0.1) add('ResignationRiskFlagged', day(at, 110), { householdId, reason: 'retirement', likelihood: 0.5 });
    if (next() < 0.05) add('HouseholdResigned', day(at, 140), { householdId, reason: 'moved_area', initiatedBy: 'carer' });
  }
  for (const [days, childrenInCare, fosteredInHouse, fosteredAgency] of [
    [60, 760, 270, 180],
    [200, 769, 272, 180],
  ] as const) {
    add('ChildrenInCareRecorded', day(start, days), { childrenInCare, fosteredInHouse, fosteredAgency });
  }

  // At-least-once delivery: about one event in ten arrives twice, the copy anywhere in the burst.
  const duplicates = events.filter(() => next() < 0.1);
  for (const copy of duplicates) events.splice(Math.floor(next() * (events.length + 1)), 0, copy);
  return events;
}

export const entryFor = (event: BurstEvent): PutEventsRequestEntry => ({
  Source: EVENT_SOURCE,
  DetailType: event.detailType,
  Detail: JSON.stringify(event.detail),
  EventBusName: EVENT_BUS_NAME,
});
