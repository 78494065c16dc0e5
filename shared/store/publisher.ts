// Publishes domain events to the fostering bus. Only event details go on the bus: never contact details.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEvent } from '../events/catalogue';
import { EVENT_BUS_NAME_ENV, LOCAL_EVENTBRIDGE_ENDPOINT_ENV, requiredEnvironment } from '../wiring/environment';
import { SDK_RETRIES } from '../sdk-retries';

let eventBridge: EventBridgeClient | undefined;

/** One client per Lambda container, created at first use and reused. */
function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({
    endpoint: process.env[LOCAL_EVENTBRIDGE_ENDPOINT_ENV] || undefined,
    ...SDK_RETRIES,
  });
  return eventBridge;
}

export async function publishEvents(events: readonly DomainEvent[]): Promise<void> {
  const busName = requiredEnvironment(EVENT_BUS_NAME_ENV);
  for (let i = 0; i < events.length; i += 10) {
    // PutEvents takes at most 10 entries
    const batch = events.slice(i, i + 10);
    const result = await eventBridgeClient().send(
      new PutEventsCommand({
        Entries: batch.map((e) => ({
          EventBusName: busName,
          Source: EVENT_SOURCE,
          DetailType: e.detailType,
          Detail: JSON.stringify(e.detail),
        })),
      }),
    );
    if (result.FailedEntryCount) {
      const failures = (result.Entries ?? []).filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
      throw new Error(`EventBridge refused ${result.FailedEntryCount} event(s): ${failures.join('; ')}`);
    }
  }
}
