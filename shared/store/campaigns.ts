// DynamoDB access for campaigns and their spend, per agency.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { EventDetail } from '../events/catalogue';
import type { SpendRecord } from '../domain/campaign-conversion';
import { startOfDay, endOfDay, type IsoDate } from '../domain/calendar';
import { toUtcInstant } from '../domain/household';
import { projectionsTable, tableName } from './tables';
import { queryAll, type ReadTally } from './households';

const campaignsKey = (agencyId: string) => `AGENCY#${agencyId}#CAMPAIGNS`;
const spendKey = (agencyId: string) => `AGENCY#${agencyId}#SPEND`;

export type Campaign = EventDetail<'CampaignLaunched'>;

/** A regional campaign is recorded for each agency it names. Last launch (by event time) wins. */
export async function recordCampaign(campaign: Campaign): Promise<void> {
  const launchOrder = `${toUtcInstant(campaign.occurredAt)}#${campaign.eventId}`;
  await Promise.all(campaign.agencyIds.map(async (agencyId) => {
    try {
      await dynamoDbDocumentClient().send(new PutCommand({
        TableName: tableName(projectionsTable),
        Item: { pk: campaignsKey(agencyId), sk: `CAMPAIGN#${campaign.campaignId}`, campaign, launchOrder },
        ConditionExpression: 'attribute_not_exists(pk) OR launchOrder <= :order',
        ExpressionAttributeValues: { ':order': launchOrder },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // a later launch is already recorded
    }
  }));
}

export async function getCampaign(agencyId: string, campaignId: string): Promise<Campaign | undefined> {
  const result = await dynamoDbDocumentClient().send(new GetCommand({
    TableName: tableName(projectionsTable),
    Key: { pk: campaignsKey(agencyId), sk: `CAMPAIGN#${campaignId}` },
  }));
  return result.Item?.campaign as Campaign | undefined;
}

/** Spend belongs to the agency that recorded it; its key holds the eventId, so a duplicate overwrites itself. */
export async function recordSpend(spend: EventDetail<'CampaignSpendRecorded'>): Promise<void> {
  const at = toUtcInstant(spend.occurredAt);
  const record: SpendRecord = { campaignId: spend.campaignId, amountPence: spend.amountPence, at, eventId: spend.eventId };
  await dynamoDbDocumentClient().send(new PutCommand({
    TableName: tableName(projectionsTable),
    Item: { pk: spendKey(spend.agencyId), sk: `${at}#${spend.eventId}`, spend: record },
  }));
}

export async function spendBetween(agencyId: string, from: IsoDate, to: IsoDate, tally?: ReadTally): Promise<SpendRecord[]> {
  const items = await queryAll({
    TableName: tableName(projectionsTable),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': spendKey(agencyId), ':from': startOfDay(from), ':to': `${endOfDay(to)}~` },
  }, tally);
  return items.map((item) => item.spend as SpendRecord);
}
