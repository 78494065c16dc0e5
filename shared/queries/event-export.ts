// What `GET /export/events` reads: one page of the agency's event log for the window, and
// the NDJSON it answers with: one PutEvents entry a line, as the bus takes it back.
import * as z from 'zod';
import { addYears, endOfDay, startOfDay } from '../domain/calendar';
import { EVENT_SOURCE, type DomainEvent } from '../events/catalogue';
import { eventLogPage, type EventLogPage } from '../store/event-log';

/** Events a response holds at most: a page stays far below Lambda's 6 MB response limit. */
export const EXPORT_PAGE_EVENTS = 5000;

export const EventExportQuerySchema = z
  .strictObject({
    from: z.iso.date().describe('the first day whose events are exported (UTC)'),
    to: z.iso.date().describe('the last day whose events are exported (UTC)'),
    cursor: z.string().min(1).max(2048).optional().describe('the `x-next-cursor` header of the previous page'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => q.to <= addYears(q.from, 10), { path: ['to'], message: 'a window spans at most ten years' });
export type EventExportQuery = z.infer<typeof EventExportQuerySchema>;

export function eventExportPage(agencyId: string, query: EventExportQuery, limit = EXPORT_PAGE_EVENTS): Promise<EventLogPage> {
  return eventLogPage(agencyId, startOfDay(query.from), endOfDay(query.to), { limit, cursor: query.cursor });
}

/** One line per event: `{"Source","DetailType","Detail"}`, Detail as the JSON text PutEvents takes. */
export function putEventsLines(events: readonly DomainEvent[]): string {
  return events
    .map((e) => `${JSON.stringify({ Source: EVENT_SOURCE, DetailType: e.detailType, Detail: JSON.stringify(e.detail) })}\n`)
    .join('');
}
