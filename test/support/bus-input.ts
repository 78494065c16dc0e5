// What a handler behind the local bus was handed, as the EventBridge event: an ordered route's
// handler gets an SQS batch of one whose body is the event (as from its FIFO queue in AWS).
import type { BusEvent } from '../../local/event-bus';

export function busEventIn(input: unknown): BusEvent {
  const records = (input as { Records?: Array<{ body: string }> }).Records;
  return records ? (JSON.parse(records[0]!.body) as BusEvent) : (input as BusEvent);
}
