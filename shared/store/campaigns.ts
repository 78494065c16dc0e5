// DynamoDB access for campaigns and their spend, per agency.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { EventDetail } from '../events/catalogue';
import type { SpendRecord } from '../domain/campaign-conversion';
import { startOfDay, endOfDay, type IsoDate } from '../domain/calendar';
import { toUtcInstant } from '../domain/household';
import { projectionsTable, tableName } from './tables';
import { putOncePerEvent } from './event-receipts';
import { eventLogAttributes } from './event-log';
import { queryAll, type ReadTally } from './query-pages';

const campaignsKey = (agencyId: string) => `AGENCY#${agencyId}#CAMPAIGNS`;
const spendKey = (agencyId: string) => `AGENCY#${agencyId}#SPEND`;

export type Campaign = EventDetail<'CampaignLaunched'>;

const MAX_TRANSACTION_ITEMS = 100; // DynamoDB's limit

/** A regional campaign is recorded for each agency it names, in one transaction (per 100 agencies), so
 *  no agency sees it before another. Last launch (by event time, then eventId) wins; the same launch
 *  again writes the same item, so a redelivery changes nothing. */
export async function recordCampaign(campaign: Campaign): Promise<void> {
  const launchOrder = `${toUtcInstant(campaign.occurredAt)}#${campaign.eventId}`;
  const agencyIds = [...new Set(campaign.agencyIds)];
  for (let i = 0; i < agencyIds.length; i += MAX_TRANSACTION_ITEMS) {
    let pending = agencyIds.slice(i, i + MAX_TRANSACTION_ITEMS);
    while (pending.length > 0) {
      try {
        await dynamoDbDocumentClient().send(
          new TransactWriteCommand({
            TransactItems: pending.map((agencyId) => ({
              Put: {
                TableName: tableName(projectionsTable),
                Item: {
                  pk: campaignsKey(agencyId),
                  sk: `CAMPAIGN#${campaign.campaignId}`,
                  campaign,
                  launchOrder,
                  // The launch is the launching agency's event: in its log only, not in each named agency's.
                  ...(agencyId === campaign.agencyId ? eventLogAttributes({ detailType: 'CampaignLaunched', detail: campaign }) : {}),
                },
                ConditionExpression: 'attribute_not_exists(pk) OR launchOrder <= :order',
                ExpressionAttributeValues: { ':order': launchOrder },
              },
            })),
          }),
        );
        break;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const laterLaunchKnown = pending.filter((_, j) => reasons[j]?.Code === 'ConditionalCheckFailed');
        if (laterLaunchKnown.length === 0) throw error; // a conflicting write: the delivery is retried
        pending = pending.filter((agencyId) => !laterLaunchKnown.includes(agencyId));
      }
    }
  }
}

export async function getCampaign(agencyId: string, campaignId: string): Promise<Campaign | undefined> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(projectionsTable),
      Key: { pk: campaignsKey(agencyId), sk: `CAMPAIGN#${campaignId}` },
    }),
  );
  return result.Item?.campaign as Campaign | undefined;
}

/** Spend belongs to the agency that recorded it; counted once per eventId, however often it arrives. */
export async function recordSpend(spend: EventDetail<'CampaignSpendRecorded'>): Promise<void> {
  const at = toUtcInstant(spend.occurredAt);
  const record: SpendRecord = { campaignId: spend.campaignId, amountPence: spend.amountPence, at, eventId: spend.eventId };
  await putOncePerEvent(spend, {
    pk: spendKey(spend.agencyId),
    sk: `${at}#${spend.eventId}`,
    spend: record,
    ...eventLogAttributes({ detailType: 'CampaignSpendRecorded', detail: spend }),
  });
}

export async function spendBetween(agencyId: string, from: IsoDate, to: IsoDate, tally?: ReadTally): Promise<SpendRecord[]> {
  const items = await queryAll(
    {
      TableName: tableName(projectionsTable),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': spendKey(agencyId), ':from': startOfDay(from), ':to': `${endOfDay(to)}~` },
    },
    tally,
  );
  return items.map((item) => item.spend as SpendRecord);
}

/** Every campaign the agency may name (its own and those shared with it), as last launched. */
export async function campaignsOf(agencyId: string, tally?: ReadTally): Promise<Campaign[]> {
  const items = await queryAll(
    {
      TableName: tableName(projectionsTable),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :campaign)',
      ExpressionAttributeValues: { ':pk': campaignsKey(agencyId), ':campaign': 'CAMPAIGN#' },
    },
    tally,
  );
  return items.map((item) => item.campaign as Campaign);
}
