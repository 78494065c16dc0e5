// DynamoDB access for agency-wide facts: children-in-care snapshots and referral rewards due.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { EventDetail } from '../events/catalogue';
import { toUtcInstant } from '../domain/household';
import { projectionsTable, tableName } from './tables';
import { queryAll } from './households';

const childrenInCareKey = (agencyId: string) => `AGENCY#${agencyId}#CHILDREN-IN-CARE`;
const referralRewardsKey = (agencyId: string) => `AGENCY#${agencyId}#REFERRAL-REWARDS`;

export type ChildrenInCareSnapshot = EventDetail<'ChildrenInCareRecorded'>;
export type ReferralRewardDue = EventDetail<'ReferralRewardDue'>;

export async function recordChildrenInCare(snapshot: ChildrenInCareSnapshot): Promise<void> {
  await dynamoDbDocumentClient().send(new PutCommand({
    TableName: tableName(projectionsTable),
    Item: { pk: childrenInCareKey(snapshot.agencyId), sk: `${toUtcInstant(snapshot.occurredAt)}#${snapshot.eventId}`, snapshot },
  }));
}

/** One reward per referred household, whatever the number of deliveries or approvals. */
export async function recordReferralRewardDue(reward: ReferralRewardDue): Promise<void> {
  try {
    await dynamoDbDocumentClient().send(new PutCommand({
      TableName: tableName(projectionsTable),
      Item: { pk: referralRewardsKey(reward.agencyId), sk: reward.referredHouseholdId, reward },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
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
