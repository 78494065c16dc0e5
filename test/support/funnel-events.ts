// Typed builders for domain events in tests: each returns a detail valid against the catalogue.
import { detailSchemas, type DetailType, type DomainEventOf, type EventDetail } from '../../shared/events/catalogue';

let counter = 0;

type Fields<T extends DetailType> = Omit<EventDetail<T>, 'eventId' | 'agencyId' | 'occurredAt'> &
  Partial<Pick<EventDetail<T>, 'eventId' | 'agencyId'>>;

/** A valid event of `detailType` at `occurredAt` (a date means 09:00Z that day). */
export function anEvent<T extends DetailType>(detailType: T, occurredAt: string, fields: Fields<T>): DomainEventOf<T> {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const detail = detailSchemas[detailType].parse({
    agencyId: 'agency-a',
    eventId: `evt-${++counter}`,
    occurredAt: occurredAt.length === 10 ? `${occurredAt}T09:00:00.000Z` : occurredAt,
    ...defined,
  });
  return { detailType, detail } as DomainEventOf<T>;
}

export const enquiry = (householdId: string, on: string, fields: Partial<Fields<'EnquiryReceived'>> = {}) =>
  anEvent('EnquiryReceived', on, { householdId, channel: 'website', ...fields });
export const initialVisit = (householdId: string, on: string, agencyId?: string) =>
  anEvent('InitialVisitCompleted', on, { householdId, agencyId });
export const assessment = (householdId: string, on: string, prospectiveBeds?: number) =>
  anEvent('AssessmentStarted', on, { householdId, prospectiveBeds });
export const approval = (
  householdId: string,
  on: string,
  approvedBeds = 1,
  category: EventDetail<'HouseholdApproved'>['category'] = 'mainstream',
) => anEvent('HouseholdApproved', on, { householdId, approvedBeds, category });
export const closure = (householdId: string, on: string, reason: EventDetail<'EnquiryClosed'>['reason']) =>
  anEvent('EnquiryClosed', on, { householdId, reason });
export const referralOn = (householdId: string, on: string, toAgencyId: string) =>
  anEvent('EnquiryReferredOn', on, { householdId, toAgencyId });

// Approved carers: approval changes, placements, holds, resignations.
export const approvalChange = (
  householdId: string,
  on: string,
  approvedBeds: number,
  category?: EventDetail<'ApprovalChanged'>['category'],
) => anEvent('ApprovalChanged', on, { householdId, approvedBeds, category });
export const placementStart = (
  householdId: string,
  placementId: string,
  on: string,
  placementType?: EventDetail<'PlacementStarted'>['placementType'],
) => anEvent('PlacementStarted', on, { householdId, placementId, placementType });
export const placementEnd = (householdId: string, placementId: string, on: string) =>
  anEvent('PlacementEnded', on, { householdId, placementId });
export const holdStart = (householdId: string, holdId: string, on: string, reason: EventDetail<'HoldStarted'>['reason'], beds?: number) =>
  anEvent('HoldStarted', on, { householdId, holdId, reason, beds });
export const holdEnd = (householdId: string, holdId: string, on: string) => anEvent('HoldEnded', on, { householdId, holdId });
export const resignation = (
  householdId: string,
  on: string,
  reason: EventDetail<'HouseholdResigned'>['reason'] = 'retirement',
  initiatedBy: 'carer' | 'agency' = 'carer',
) => anEvent('HouseholdResigned', on, { householdId, reason, initiatedBy });
export const riskFlag = (
  householdId: string,
  on: string,
  reason: EventDetail<'ResignationRiskFlagged'>['reason'] = 'retirement',
  likelihood?: number,
) => anEvent('ResignationRiskFlagged', on, { householdId, reason, likelihood });
export const riskCleared = (householdId: string, on: string) => anEvent('ResignationRiskCleared', on, { householdId });

// The recruitment team's working day (docs/rules.md): contact attempts and assessment milestones.
export const contactAttempt = (
  householdId: string,
  on: string,
  outcome: EventDetail<'ContactAttempted'>['outcome'],
  followUpOn?: string,
  method: EventDetail<'ContactAttempted'>['method'] = 'phone',
) => anEvent('ContactAttempted', on, { householdId, method, outcome, followUpOn });
export const milestone = (householdId: string, on: string, name: EventDetail<'AssessmentMilestoneRecorded'>['milestone']) =>
  anEvent('AssessmentMilestoneRecorded', on, { householdId, milestone: name });
