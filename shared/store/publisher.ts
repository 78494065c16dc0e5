// Publishes domain events to the fostering bus. Only event details go on the bus: never contact details.
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeClient } from '../aws-clients';
import { EVENT_SOURCE, type DomainEvent } from '../events/catalogue';
import { EVENT_BUS_NAME_ENV, requiredEnvironment } from '../wiring/environment';

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
