// DynamoDB access for agency-wide facts: children-in-care snapshots, referral rewards due, settings.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
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

/** One reward per referred household, whatever the number of deliveries or approvals. */
export async function recordReferralRewardDue(reward: ReferralRewardDue): Promise<void> {
  try {
    await dynamoDbDocumentClient().send(
      new PutCommand({
        TableName: tableName(projectionsTable),
        Item: {
          pk: referralRewardsKey(reward.agencyId),
          sk: reward.referredHouseholdId,
          reward,
          ...eventLogAttributes({ detailType: 'ReferralRewardDue', detail: reward }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function referralRewardsDue(agencyId: string): Promise<ReferralRewardDue[]> {
  const items = await queryAll({
    TableName: tableName(projectionsTable),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': referralRewardsKey(agencyId) },
  });
  return items.map((item) => item.reward as ReferralRewardDue);
}
