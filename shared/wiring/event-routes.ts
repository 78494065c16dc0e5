// The EventBridge routes, declared once: the CDK stack makes one rule per route and the local bus
// routes by these same patterns (local/event-pattern.ts implements their matching).
import { EVENT_SOURCE, householdDetailTypes, detailTypes, type DetailType } from '../events/catalogue';

/** The subset of EventBridge's pattern language our routes use (and the local matcher implements). */
export type EventPattern = { [field: string]: EventPattern | ReadonlyArray<PatternValue> };
export type PatternValue =
  | string
  | number
  | boolean
  | null
  | { prefix: string | { 'equals-ignore-case': string } }
  | { suffix: string | { 'equals-ignore-case': string } }
  | { 'equals-ignore-case': string }
  | { exists: boolean }
  | {
      'anything-but':
        | string
        | number
        | ReadonlyArray<string | number>
        | { prefix: string }
        | { suffix: string }
        | { 'equals-ignore-case': string }
        | { wildcard: string };
    }
  | { numeric: ReadonlyArray<string | number> }
  | { wildcard: string };

/** `readAndClocks`: reads, and puts and deletes only the retention job's clock items (shared/store/retention-clocks.ts). */
export type AccessMode = 'read' | 'readWrite' | 'readAndClocks';
export type AuditAccess = 'append' | 'read' | 'appendAndRead';
/** What a function touches: the stack grants exactly this and sets the matching env vars. */
export interface ResourceAccess {
  projections?: AccessMode;
  contacts?: AccessMode;
  /** Powertools idempotency records for the `Idempotency-Key` header. */
  idempotency?: 'readWrite';
  /** The access audit and erasure ledger: `append` may only put new entries, `read` only read them;
   *  nothing may change or delete one. */
  audit?: AuditAccess;
  /** Publishes domain events to the bus. */
  publishes?: boolean;
  /** Reads the key that search terms are hashed with (writes or searches the contacts' search entries). */
  searchKey?: boolean;
  /** Tables the function reads whole (Scan): a scheduled job's need, never a request's. */
  scans?: readonly ('projections' | 'contacts')[];
}

export interface EventRoute {
  /** Stable name, used for the rule, the function and the dead-letter queue. */
  name: string;
  /** Handler entry under functions/, without extension; it exports `handler`. */
  handler: string;
  description: string;
  pattern: EventPattern;
  access: ResourceAccess;
  /**
   * Delivered in order, one at a time, per message group: `by` names the detail fields whose values
   * make an event's group. In AWS the rule targets `router` (an entry under functions/), which checks
   * the event and puts it on a FIFO queue that feeds the handler (infra/event-bus.ts); the local bus
   * queues each group's deliveries itself and hands the handler the same SQS batch shape.
   */
  ordered?: { by: readonly string[]; router: string };
}

/** The events each projector takes, declared once: its rule's pattern and its handler's parser both read them. */
export const projectorEvents = {
  HouseholdProjector: householdDetailTypes,
  CampaignProjector: ['CampaignLaunched', 'CampaignSpendRecorded'],
  AgencyLedgerProjector: ['ChildrenInCareRecorded', 'ReferralRewardDue', 'AgencySettingsChanged'],
} as const satisfies Record<string, readonly DetailType[]>;
export type ProjectorName = keyof typeof projectorEvents;

export const eventRoutes: readonly EventRoute[] = [
  {
    name: 'HouseholdProjector',
    handler: 'projectors/household',
    description: "Keeps each household's state (stages, approval, placements, holds, resignation) from its events",
    pattern: { source: [EVENT_SOURCE], 'detail-type': projectorEvents.HouseholdProjector },
    // A ReferralRewardDue it makes due is stored as an outbox entry, and reaches the bus from the stream.
    // It reads the contacts table's search entries (keyed hashes) to match an enquiry's possible duplicates.
    access: { projections: 'readWrite', contacts: 'read' },
    // One household's events one at a time: no two deliveries race to write its state.
    ordered: { by: ['agencyId', 'householdId'], router: 'routers/household-order' },
  },
  {
    name: 'CampaignProjector',
    handler: 'projectors/campaign',
    description: 'Records campaigns and their spend',
    pattern: { source: [EVENT_SOURCE], 'detail-type': projectorEvents.CampaignProjector },
    access: { projections: 'readWrite' },
  },
  {
    name: 'AgencyLedgerProjector',
    handler: 'projectors/agency-ledger',
    description: 'Records agency-wide facts: children-in-care snapshots, referral rewards due, settings changes',
    pattern: { source: [EVENT_SOURCE], 'detail-type': projectorEvents.AgencyLedgerProjector },
    access: { projections: 'readWrite' },
  },
  {
    // Without this rule an event of our source with an unknown detail-type would match nothing and be
    // dropped silently; this sends it to a dead-letter queue with its reason instead.
    name: 'UnknownEventRejector',
    handler: 'projectors/unknown-event',
    description: 'Dead-letters events of our source whose detail-type no projector knows',
    pattern: { source: [EVENT_SOURCE], 'detail-type': [{ 'anything-but': [...detailTypes] }] },
    access: {},
  },
];

export const EVENT_BUS_NAME = 'fostering';
