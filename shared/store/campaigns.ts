// DynamoDB access for campaigns and their spend, per agency.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { DomainEventOf, EventDetail } from '../events/catalogue';
import type { SpendRecord } from '../domain/campaign-conversion';
import { startOfDay, endOfDay, type IsoDate } from '../domain/calendar';
import { toUtcInstant } from '../domain/household';
import { projectionsTable, tableName } from './tables';
import { putOncePerEvent, receiptItem } from './event-receipts';
import { eventLogAttributes } from './event-log';
import { queryAll, type ReadTally } from './query-pages';

const campaignsKey = (agencyId: string) => `AGENCY#${agencyId}#CAMPAIGNS`;
/** A tracking code taken in an agency: one item per code, so two launches cannot both take it. */
const trackingCodeKey = (agencyId: string, code: string) => ({ pk: `AGENCY#${agencyId}#TRACKING-CODES`, sk: `CODE#${code}` });
const spendKey = (agencyId: string) => `AGENCY#${agencyId}#SPEND`;

export type Campaign = EventDetail<'CampaignLaunched'>;

const MAX_TRANSACTION_ITEMS = 100; // DynamoDB's limit

const campaignItem = (agencyId: string, campaign: Campaign) => ({
  pk: campaignsKey(agencyId),
  sk: `CAMPAIGN#${campaign.campaignId}`,
  campaign,
  launchOrder: `${toUtcInstant(campaign.occurredAt)}#${campaign.eventId}`,
  // The launch is the launching agency's event: in its log only, not in each named agency's.
  ...(agencyId === campaign.agencyId ? eventLogAttributes({ detailType: 'CampaignLaunched', detail: campaign }) : {}),
});

export type CampaignCommandOutcome =
  'recorded' | 'campaign_exists' | 'tracking_code_taken' | 'no_such_campaign' | 'campaign_of_another_agency' | 'conflict';

/**
 * A command's launch: the campaign is stored for every agency it names, each only if that agency has
 * no campaign of this id yet (its own, or one shared with it), and the launcher's receipt is the
 * outbox entry, all in one transaction. So a campaign id stays its launcher's: no agency re-launches
 * it, and a shared launch never overwrites a named agency's own campaign.
 */
export async function launchCampaign(event: DomainEventOf<'CampaignLaunched'>): Promise<CampaignCommandOutcome> {
  const campaign = event.detail;
  const TableName = tableName(projectionsTable);
  const agencyIds = [...new Set(campaign.agencyIds)];
  const own = campaignItem(campaign.agencyId, campaign);
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          ...agencyIds.map((agencyId) => ({
            Put: { TableName, Item: campaignItem(agencyId, campaign), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
          { Put: { TableName, Item: receiptItem(campaign, own, event), ConditionExpression: 'attribute_not_exists(pk)' } },
          // Its tracking code, in every agency it names, only if none of them has a campaign with it.
          ...(campaign.trackingCode === undefined
            ? []
            : agencyIds.map((agencyId) => ({
                Put: {
                  TableName,
                  Item: { ...trackingCodeKey(agencyId, campaign.trackingCode!), campaignId: campaign.campaignId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              }))),
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons.slice(0, agencyIds.length).some((r) => r.Code === 'ConditionalCheckFailed')) return 'campaign_exists';
    if (reasons.slice(agencyIds.length + 1).some((r) => r.Code === 'ConditionalCheckFailed')) return 'tracking_code_taken';
    if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
    throw error;
  }
}

/** A command's spend: stored only if the caller's agency launched the campaign, checked in the write. */
export async function recordCampaignSpend(event: DomainEventOf<'CampaignSpendRecorded'>): Promise<CampaignCommandOutcome> {
  const spend = event.detail;
  const TableName = tableName(projectionsTable);
  const item = spendItem(spend);
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName,
              Key: { pk: campaignsKey(spend.agencyId), sk: `CAMPAIGN#${spend.campaignId}` },
              ConditionExpression: '#campaign.#launcher = :agency',
              ExpressionAttributeNames: { '#campaign': 'campaign', '#launcher': 'agencyId' },
              ExpressionAttributeValues: { ':agency': spend.agencyId },
            },
          },
          { Put: { TableName, Item: receiptItem(spend, item, event), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName, Item: item } },
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') {
      const stored = await getCampaign(spend.agencyId, spend.campaignId);
      return stored ? 'campaign_of_another_agency' : 'no_such_campaign';
    }
    if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
    throw error;
  }
}

/** A regional campaign is recorded for each agency it names, in one transaction (per 100 agencies), so
 *  no agency sees it before another. Last launch (by event time, then eventId) wins; the same launch
 *  again writes the same item, so a redelivery changes nothing. */
export async function recordCampaign(campaign: Campaign): Promise<void> {
  const { launchOrder } = campaignItem(campaign.agencyId, campaign);
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
                Item: campaignItem(agencyId, campaign),
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

/** Read consistently: a campaign launched a moment ago is there. */
export async function getCampaign(agencyId: string, campaignId: string): Promise<Campaign | undefined> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(projectionsTable),
      Key: { pk: campaignsKey(agencyId), sk: `CAMPAIGN#${campaignId}` },
      ConsistentRead: true,
    }),
  );
  return result.Item?.campaign as Campaign | undefined;
}

/** Spend belongs to the agency that recorded it; counted once per eventId, however often it arrives. */
export async function recordSpend(spend: EventDetail<'CampaignSpendRecorded'>): Promise<void> {
  await putOncePerEvent(spend, spendItem(spend));
}

function spendItem(spend: EventDetail<'CampaignSpendRecorded'>) {
  const at = toUtcInstant(spend.occurredAt);
  const record: SpendRecord = { campaignId: spend.campaignId, amountPence: spend.amountPence, at, eventId: spend.eventId };
  return {
    pk: spendKey(spend.agencyId),
    sk: `${at}#${spend.eventId}`,
    spend: record,
    ...eventLogAttributes({ detailType: 'CampaignSpendRecorded', detail: spend }),
  };
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
