// DynamoDB access for agency-wide facts: children-in-care snapshots, referral rewards due, settings.
import type { DomainEvent, EventDetail } from '../events/catalogue';
import { toUtcInstant } from '../domain/household';
import { projectionsTable, tableName } from './tables';
import { putOncePerEvent } from './event-receipts';
import { eventLogAttributes } from './event-log';
import { queryAll, type ReadTally } from './query-pages';

const childrenInCareKey = (agencyId: string) => `AGENCY#${agencyId}#CHILDREN-IN-CARE`;
const referralRewardsKey = (agencyId: string) => `AGENCY#${agencyId}#REFERRAL-REWARDS`;
const settingsKey = (agencyId: string) => `AGENCY#${agencyId}#SETTINGS`;

export type ChildrenInCareSnapshot = EventDetail<'ChildrenInCareRecorded'>;
export type ReferralRewardDue = EventDetail<'ReferralRewardDue'>;
export type AgencySettingsChanged = EventDetail<'AgencySettingsChanged'>;

/** Every change is kept, keyed by time and eventId: the audit trail; once per eventId. */
export async function recordAgencySettingsChange(change: AgencySettingsChanged, publish?: DomainEvent): Promise<void> {
  const occurredAt = toUtcInstant(change.occurredAt);
  await putOncePerEvent(
    change,
    {
      pk: settingsKey(change.agencyId),
      sk: `${occurredAt}#${change.eventId}`,
      change: { ...change, occurredAt },
      ...eventLogAttributes({ detailType: 'AgencySettingsChanged', detail: change }),
    },
    publish,
  );
}

/** An agency's settings changes, oldest first (a handful a year). */
export async function agencySettingsChanges(agencyId: string, tally?: ReadTally): Promise<AgencySettingsChanged[]> {
  const items = await queryAll(
    {
      TableName: tableName(projectionsTable),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': settingsKey(agencyId) },
    },
    tally,
  );
  return items.map((item) => item.change as AgencySettingsChanged);
}

/** Once per eventId. `publish`: a command's event, put on the bus from the outbox. */
export async function recordChildrenInCare(snapshot: ChildrenInCareSnapshot, publish?: DomainEvent): Promise<void> {
  await putOncePerEvent(
    snapshot,
    {
      pk: childrenInCareKey(snapshot.agencyId),
      sk: `${toUtcInstant(snapshot.occurredAt)}#${snapshot.eventId}`,
      snapshot,
      ...eventLogAttributes({ detailType: 'ChildrenInCareRecorded', detail: snapshot }),
    },
    publish,
  );
}

/** The snapshots a date range needs: every one taken in [fromInstant, toInstant], and the latest
 *  before fromInstant (the one in force when the range starts). At most one a day is usual, so this
 *  reads the range's own snapshots plus one, whatever the agency's history. */
export async function childrenInCareSnapshots(
  agencyId: string,
  fromInstant: string,
  toInstant: string,
  tally?: ReadTally,
): Promise<ChildrenInCareSnapshot[]> {
  const pk = childrenInCareKey(agencyId);
  const [before, within] = await Promise.all([
    queryAll(
      {
        TableName: tableName(projectionsTable),
        KeyConditionExpression: 'pk = :pk AND sk < :from',
        ExpressionAttributeValues: { ':pk': pk, ':from': fromInstant },
        ScanIndexForward: false,
        Limit: 1,
      },
      tally,
      { firstPageOnly: true },
    ),
    queryAll(
      {
        TableName: tableName(projectionsTable),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // '~' sorts after '#eventId', so snapshots taken at exactly toInstant are in.
        ExpressionAttributeValues: { ':pk': pk, ':from': fromInstant, ':to': `${toInstant}~` },
      },
      tally,
    ),
  ]);
  return [...before, ...within].map((item) => item.snapshot as ChildrenInCareSnapshot);
}

/** One reward per referred household: its eventId is fixed per household (the reward item in the
 *  household's partition is written once), and a redelivery changes nothing. Keyed by when it fell
 *  due, so a window reads only its own rewards. */
export async function recordReferralRewardDue(reward: ReferralRewardDue): Promise<void> {
  await putOncePerEvent(reward, {
    pk: referralRewardsKey(reward.agencyId),
    sk: `${toUtcInstant(reward.occurredAt)}#${reward.referredHouseholdId}`,
    reward,
    ...eventLogAttributes({ detailType: 'ReferralRewardDue', detail: reward }),
  });
}

/** The rewards that fell due in [fromInstant, toInstant], oldest first. */
export async function referralRewardsDue(
  agencyId: string,
  fromInstant = '1970-01-01T00:00:00.000Z',
  toInstant = '9999-12-31T23:59:59.999Z',
  tally?: ReadTally,
): Promise<ReferralRewardDue[]> {
  const items = await queryAll(
    {
      TableName: tableName(projectionsTable),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // '~' sorts after '#householdId', so rewards due at exactly toInstant are in.
      ExpressionAttributeValues: { ':pk': referralRewardsKey(agencyId), ':from': fromInstant, ':to': `${toInstant}~` },
    },
    tally,
  );
  return items.map((item) => item.reward as ReferralRewardDue);
}
