// The custom bus and one rule per entry of `eventRoutes`: the same routes the local bus follows.
import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule, type EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../shared/events/catalogue';
import { EVENT_BUS_NAME, eventRoutes, type EventRoute } from '../shared/wiring/event-routes';
import { FosteringFunction, grantAccess } from './fostering-function';
import type { FosteringTables } from './tables';

export interface FosteringEventBusProps {
  tables: FosteringTables;
}

export class FosteringEventBus extends Construct {
  readonly bus: EventBus;
  /** One per event route, keyed by the route's name. */
  readonly deadLetterQueues = new Map<string, Queue>();
  readonly projectors = new Map<string, FosteringFunction>();

  constructor(scope: Construct, id: string, { tables }: FosteringEventBusProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: EVENT_BUS_NAME });
    // Events carry no contact details (SPEC §2), so keeping them for replay holds no personal data.
    this.bus.archive('Archive', {
      description: 'Every fostering event, for replay into rebuilt projections',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(365 * 3),
    });
    for (const route of eventRoutes) this.addRoute(route, tables);
  }

  private addRoute(route: EventRoute, tables: FosteringTables): void {
    const deadLetterQueue = new Queue(this, `${route.name}DeadLetters`, {
      enforceSSL: true,
      // SQS-managed keys: EventBridge cannot use the AWS-managed SQS key, and events hold no personal data.
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    const projector = new FosteringFunction(this, route.name, {
      handlerEntry: route.handler,
      description: route.description,
      timeout: Duration.seconds(30),
      // Errors raised inside the projector (an invalid event, an unknown detail-type) land in the
      // same queue as undeliverable events, with the error message beside the event.
      onFailure: new SqsDestination(deadLetterQueue),
      retryAttempts: 2,
    });
    grantAccess(projector, route.access, { ...tables.byAccess, bus: this.bus });

    new Rule(this, `${route.name}Rule`, {
      eventBus: this.bus,
      description: route.description,
      // Our pattern type is a subset of EventBridge's, which CDK types only loosely.
      eventPattern: route.pattern as CdkEventPattern,
      targets: [new LambdaFunction(projector, {
        // Delivery only fails while Lambda throttles or is unavailable, so keep trying for a day.
        retryAttempts: 20,
        maxEventAge: Duration.hours(24),
        deadLetterQueue,
      })],
    });
    this.deadLetterQueues.set(route.name, deadLetterQueue);
    this.projectors.set(route.name, projector);
  }
}
