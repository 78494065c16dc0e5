// An ordered route's message groups (shared/wiring/event-routes.ts `ordered`), computed the same way by
// the AWS router and the local bus. Apart from the route table, which the web client's type check
// reads too: this needs Node's crypto.
import { createHash } from 'node:crypto';
import type { EventRoute } from './event-routes';

/** SQS FIFO's limit on a message group id. */
const MAX_GROUP_LENGTH = 128;

/** An ordered route's message group for an event, or undefined when the event lacks one of the
 *  fields (an invalid event: it is delivered alone, and dead-lettered with its reason). */
export function messageGroupOf(route: EventRoute, event: { detail?: unknown }): string | undefined {
  if (!route.ordered) return undefined;
  const detail = (typeof event.detail === 'object' && event.detail !== null ? event.detail : {}) as Record<string, unknown>;
  const parts = route.ordered.by.map((field) => detail[field]);
  if (!parts.every((part): part is string => typeof part === 'string' && part !== '')) return undefined;
  const group = parts.join('#');
  // Two ids of 64 characters and the separator are one over the limit: such a group is hashed.
  return group.length <= MAX_GROUP_LENGTH ? group : createHash('sha256').update(group).digest('hex');
}
