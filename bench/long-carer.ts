// The long-serving carer: one short-breaks household of many years (a weekly overnight stay, a
// fortnight's break each summer), its events sent in event-time order through the local bus, timed
// tenth by tenth (with the write units its events cost by AWS's rules), and the size of every item
// its partition then holds.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../shared/aws-clients';
import { EVENT_SOURCE, type DomainEvent } from '../shared/events/catalogue';
import { householdKey } from '../shared/store/households';
import { projectionsTable, tableName } from '../shared/store/tables';
import { EVENT_BUS_NAME } from '../shared/wiring/event-routes';
import type { RuntimeWorker } from './worker-client';
import { dynamoDbItemBytes } from './dynamodb-counter';

const DAY_MS = 86_400_000;

/** A short-breaks carer approved on 1 February of `fromYear`, with a stay every Friday night to
 *  the end of `lastYear` but for a two-week break on hold each August. */
export function longServingCarer(agencyId: string, householdId: string, fromYear: number, lastYear: number): DomainEvent[] {
  const dated: Array<{ ms: number; detailType: string; fields: Record<string, unknown> }> = [];
  const add = (detailType: string, ms: number, fields: Record<string, unknown> = {}) => dated.push({ ms, detailType, fields });
  const start = Date.UTC(fromYear - 1, 8, 1, 10);
  // Logged through the API, so it brings its reference.
  add('EnquiryReceived', start, { channel: 'information_event', interests: ['short_breaks'], reference: `CARER-${fromYear - 1}-0001` });
  add('InitialVisitCompleted', start + 14 * DAY_MS);
  add('AssessmentStarted', start + 30 * DAY_MS, { prospectiveBeds: 1 });
  const approvedMs = Date.UTC(fromYear, 1, 1, 10);
  add('HouseholdApproved', approvedMs, { category: 'short_breaks', approvedBeds: 1 });
  const holds: Array<[number, number]> = [];
  for (let year = fromYear; year <= lastYear; year++) {
    const holdStart = Date.UTC(year, 7, 1, 9);
    const holdEnd = holdStart + 14 * DAY_MS;
    holds.push([holdStart, holdEnd]);
    add('HoldStarted', holdStart, { holdId: `break-${year}`, reason: 'carer_break' });
    add('HoldEnded', holdEnd, { holdId: `break-${year}` });
  }
  const end = Date.UTC(lastYear, 11, 31, 23);
  // Fridays, 18:00Z, from the first after the approval.
  let friday = Date.UTC(fromYear, 1, 1, 18);
  while (new Date(friday).getUTCDay() !== 5) friday += DAY_MS;
  for (; friday + DAY_MS < end; friday += 7 * DAY_MS) {
    if (holds.some(([from, to]) => friday >= from && friday <= to)) continue;
    const placementId = `stay-${new Date(friday).toISOString().slice(0, 10)}`;
    add('PlacementStarted', friday, { placementId, placementType: 'short_break' });
    add('PlacementEnded', friday + 20 * 60 * 60 * 1000, { placementId });
  }
  dated.sort((x, y) => x.ms - y.ms);
  return dated.map(
    ({ ms, detailType, fields }, i) =>
      ({
        detailType,
        detail: {
          eventId: `${householdId}-${String(i + 1).padStart(5, '0')}`,
          agencyId,
          householdId,
          occurredAt: new Date(ms).toISOString(),
          ...fields,
        },
      }) as DomainEvent,
  );
}

export interface LongCarerResult {
  events: number;
  years: number;
  /** Milliseconds per event in each tenth of the events, in order. */
  tenthsMsPerEvent: number[];
  /** Write units per event by AWS's rules (bench/dynamodb-counter.ts), household projector, in each tenth. */
  tenthsAwsUnitsPerEvent: number[];
  lastOverFirst: number;
  items: number;
  largestItem: { sk: string; bytes: number };
  stateItemBytes: number;
}

/**
 * Sends the events in order, a tenth at a time: each tenth is published (PutEvents batches of up to
 * 10, in order) and timed until its last event is visible, before the next tenth starts.
 */
export async function runLongCarer(worker: RuntimeWorker, events: readonly DomainEvent[], years: number): Promise<LongCarerResult> {
  const client = new EventBridgeClient({
    endpoint: worker.eventsUrl,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let settled = 0;
  let wake: (() => void) | undefined;
  worker.onSettled((count) => {
    settled += count;
    wake?.();
  });
  const tenthsMsPerEvent: number[] = [];
  const tenthsAwsUnitsPerEvent: number[] = [];
  const projectorUnits = async () =>
    (await worker.request({ type: 'ingest-report' }, 'ingest-report')).byEntry['projectors/household']?.aws.units ?? 0;
  await worker.request({ type: 'reset' }, 'reset');
  try {
    const size = Math.ceil(events.length / 10);
    for (let from = 0; from < events.length; from += size) {
      const tenth = events.slice(from, from + size);
      const target = settled + tenth.length;
      const unitsBefore = await projectorUnits();
      const started = performance.now();
      for (let i = 0; i < tenth.length; i += 10) {
        const batch = tenth.slice(i, i + 10);
        const result = await client.send(
          new PutEventsCommand({
            Entries: batch.map((e) => ({
              EventBusName: EVENT_BUS_NAME,
              Source: EVENT_SOURCE,
              DetailType: e.detailType,
              Detail: JSON.stringify(e.detail),
            })),
          }),
        );
        if (result.FailedEntryCount) throw new Error(`PutEvents refused ${result.FailedEntryCount} event(s)`);
      }
      while (settled < target)
        await new Promise<void>((done) => {
          wake = done;
        });
      tenthsMsPerEvent.push((performance.now() - started) / tenth.length);
      tenthsAwsUnitsPerEvent.push(((await projectorUnits()) - unitsBefore) / tenth.length);
    }
  } finally {
    worker.onSettled(undefined);
    client.destroy();
  }
  const first = events[0]!.detail as { agencyId: string; householdId: string };
  const items = await partitionItems(first.agencyId, first.householdId);
  const sized = items.map((item) => ({ sk: String(item.sk), bytes: dynamoDbItemBytes(item) })).sort((a, b) => b.bytes - a.bytes);
  return {
    events: events.length,
    years,
    tenthsMsPerEvent,
    tenthsAwsUnitsPerEvent,
    lastOverFirst: tenthsMsPerEvent[tenthsMsPerEvent.length - 1]! / tenthsMsPerEvent[0]!,
    items: items.length,
    largestItem: sized[0] ?? { sk: '–', bytes: 0 },
    stateItemBytes: sized.find((s) => s.sk === 'STATE')?.bytes ?? 0,
  };
}

async function partitionItems(agencyId: string, householdId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbDocumentClient().send(
      new QueryCommand({
        TableName: tableName(projectionsTable),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': householdKey(agencyId, householdId) },
        ExclusiveStartKey,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
