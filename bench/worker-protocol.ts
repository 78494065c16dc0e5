// The messages between run.ts and the runtime worker (Node IPC).
import type { BusCounts } from '../local/event-bus';
import type { DynamoDbCounts } from './dynamodb-counter';
import type { LatencySummary } from './stats';

export type WorkerRequest =
  { type: 'reset' } | { type: 'ingest-report' } | { type: 'take-api-invocations' } | { type: 'cpu' } | { type: 'stop' };

export interface IngestReport {
  type: 'ingest-report';
  /** Accepted by PutEvents → delivered (projection written), per event the publisher sent. */
  latency: LatencySummary;
  settled: { delivered: number; deadLettered: number; system: number; lastSettledEpochMs: number };
  bus: BusCounts;
  /** DynamoDB requests of each handler entry (e.g. `projectors/household`). */
  byEntry: Record<string, DynamoDbCounts>;
  total: DynamoDbCounts;
  memory: { runtimePeakRssBytes: number; dynamoDbLocalPeakRssBytes?: number };
}

/** CPU time used so far by the runtime process and by DynamoDB Local's JVM. */
export interface CpuReply {
  type: 'cpu';
  runtimeMs: number;
  dynamoDbLocalMs?: number;
}

export type WorkerReply =
  | { type: 'ready'; apiUrl: string; eventsUrl: string; dynamoDbEndpoint: string; tableEnv: Record<string, string> }
  | { type: 'settled'; count: number }
  | { type: 'reset' }
  | IngestReport
  | { type: 'api-invocations'; invocations: Array<{ entry: string; counts: DynamoDbCounts }> }
  | CpuReply
  | { type: 'stopped' }
  | { type: 'error'; message: string };
