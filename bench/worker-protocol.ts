// The messages between run.ts and the runtime worker (Node IPC).
import type { BusCounts } from '../local/event-bus';
import type { DynamoDbCounts } from './dynamodb-counter';
import type { LatencySummary } from './stats';

export type WorkerRequest =
  | { type: 'reset' }
  | { type: 'ingest-report' }
  | { type: 'take-api-invocations' }
  | { type: 'cpu' }
  /** Waits until the runtime has read the projections table's stream to its end (the conversion counts kept). */
  | { type: 'caught-up' }
  | { type: 'stop' };

/** byEntry's name for what the runtime's stream reader asked of DynamoDB (the conversion counts). */
export const STREAM_READER_ENTRY = 'stream reader: conversion counts';

/** A handler's invocations by what each sent (e.g. 'GetItem + TransactWriteItems'), and by the
 *  write units each cost by AWS's rules. */
export interface InvocationShapes {
  byRequests: Record<string, number>;
  byAwsUnits: Record<string, number>;
}

export interface IngestReport {
  type: 'ingest-report';
  /** Accepted by PutEvents → delivered (projection written), per event the publisher sent. */
  latency: LatencySummary;
  settled: { delivered: number; deadLettered: number; system: number; lastSettledEpochMs: number };
  bus: BusCounts;
  /** DynamoDB requests of each handler entry (e.g. `projectors/household`). */
  byEntry: Record<string, DynamoDbCounts>;
  /** Of the event handlers (not the API's), invocation by invocation. */
  invocations: Record<string, InvocationShapes>;
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
  | { type: 'caught-up' }
  | IngestReport
  | { type: 'api-invocations'; invocations: Array<{ entry: string; counts: DynamoDbCounts }> }
  | CpuReply
  | { type: 'stopped' }
  | { type: 'error'; message: string };
