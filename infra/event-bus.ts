// The custom bus and one rule per entry of `eventRoutes`: the same routes the local bus follows.
import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule, type EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../shared/events/catalogue';
import { EVENT_BUS_NAME, eventRoutes, type EventRoute } from '../shared/wiring/event-routes';
import { ORDERED_QUEUE_URL_ENV } from '../shared/wiring/environment';
import { deadLetteredTarget, deadLetterQueue, failuresTo } from './dead-lettered-target';
import { FosteringFunction, grantAccess } from './fostering-function';
import type { FosteringTables } from './tables';

export interface FosteringEventBusProps {
  tables: FosteringTables;
}

/** Concurrent executions held for each projector, whatever else the account is running. */
export const PROJECTOR_RESERVED_CONCURRENCY = 10;

export class FosteringEventBus extends Construct {
  readonly bus: EventBus;
  /** One per event route, keyed by the route's name. */
  readonly deadLetterQueues = new Map<string, Queue>();
  readonly projectors = new Map<string, FosteringFunction>();
  /** Ordered routes only: the router the rule targets, the FIFO queue and the FIFO queue's dead letters. */
  readonly routers = new Map<string, FosteringFunction>();
  readonly orderedQueues = new Map<string, Queue>();
  readonly orderedDeadLetterQueues = new Map<string, Queue>();

  constructor(scope: Construct, id: string, { tables }: FosteringEventBusProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: EVENT_BUS_NAME });
    // Events carry no contact details, so keeping them for replay holds no personal data.
    this.bus.archive('Archive', {
      description: 'Every fostering event, for replay into rebuilt projections',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(365 * 3),
    });
    for (const route of eventRoutes) this.addRoute(route, tables);
  }

  private addRoute(route: EventRoute, tables: FosteringTables): void {
    const deadLetters = deadLetterQueue(this, `${route.name}DeadLetters`);
    const projector = new FosteringFunction(this, route.name, {
      handlerEntry: route.handler,
      description: route.description,
      timeout: Duration.seconds(30),
      // Kept for the projections, so a flood of API requests cannot take every concurrent execution.
      reservedConcurrentExecutions: PROJECTOR_RESERVED_CONCURRENCY,
      // Errors raised inside the projector (an invalid event, an unknown detail-type) land in the
      // same queue as undeliverable events, with the error message beside the event.
      ...(route.ordered ? {} : failuresTo(deadLetters)),
    });
    grantAccess(projector, route.access, { ...tables.byAccess, bus: this.bus });
    // An ordered route's rule targets its router, which invokes nothing but the FIFO queue.
    const target = route.ordered ? this.addOrderedDelivery(route, projector, deadLetters) : projector;

    new Rule(this, `${route.name}Rule`, {
      eventBus: this.bus,
      description: route.description,
      // Our pattern type is a subset of EventBridge's, which CDK types only loosely.
      eventPattern: route.pattern as CdkEventPattern,
      targets: [deadLetteredTarget(target, deadLetters, Duration.hours(24))],
    });
    this.deadLetterQueues.set(route.name, deadLetters);
    this.projectors.set(route.name, projector);
  }

  /**
   * Rule → router Lambda → SQS FIFO queue (message group = the route's `ordered.by` fields, e.g.
   * agency and household) → the projector, one message group at a time.
   *
   * Why a router rather than the rule's own SQS target: a rule's SqsParameters.MessageGroupId is a
   * String in CloudFormation, and nothing in AWS's documentation says it may come from the event (a CDK
   * discussion, aws/aws-cdk#23790, has one report each way), so we do not rely on it. EventBridge Pipes
   * does document dynamic target parameters, but a pipe cannot read from a bus (it would need a second
   * queue in front), and a dynamic parameter is one JSON path, so it could not join agency and household.
   * A small Lambda calling SendMessage with the group it computes always works, and checks the event
   * first: an invalid one fails there and reaches the route's dead-letter queue with its reason, as
   * before.
   */
  private addOrderedDelivery(route: EventRoute, projector: FosteringFunction, deadLetters: Queue): FosteringFunction {
    const ordered = route.ordered!;
    const encryption = QueueEncryption.SQS_MANAGED;
    const orderedDeadLetters = new Queue(this, `${route.name}OrderedDeadLetters`, {
      fifo: true,
      enforceSSL: true,
      encryption,
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, `${route.name}Ordered`, {
      fifo: true,
      enforceSSL: true,
      encryption,
      retentionPeriod: Duration.days(14),
      // AWS's advice for a Lambda event source: six times the function's timeout.
      visibilityTimeout: Duration.seconds(6 * 30),
      // High-throughput FIFO: throughput is kept per message group, and there are as many groups as households.
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      // A message that keeps failing (DynamoDB unavailable for minutes) moves aside after 5 tries,
      // so its household's later events go on; the alarm on this queue says so at once.
      deadLetterQueue: { queue: orderedDeadLetters, maxReceiveCount: 5 },
    });
    // No more pollers than the projector's reserved executions: a throttled batch would count as a
    // receive, and five of them move a message to the dead letters.
    projector.addEventSource(
      new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: PROJECTOR_RESERVED_CONCURRENCY }),
    );

    const router = new FosteringFunction(this, `${route.name}Router`, {
      handlerEntry: ordered.router,
      description: `Puts ${route.name}'s events on its FIFO queue, grouped by ${ordered.by.join(' and ')}`,
      timeout: Duration.seconds(10),
      ...failuresTo(deadLetters),
      environment: { [ORDERED_QUEUE_URL_ENV]: queue.queueUrl },
    });
    queue.grantSendMessages(router);

    this.routers.set(route.name, router);
    this.orderedQueues.set(route.name, queue);
    this.orderedDeadLetterQueues.set(route.name, orderedDeadLetters);
    return router;
  }
}
