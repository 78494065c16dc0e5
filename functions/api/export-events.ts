import { badRequest, httpRoute, parseOr400 } from '../../shared/api/http';
import { EventExportQuerySchema, eventExportPage, putEventsLines } from '../../shared/queries/event-export';
import { InvalidCursorError } from '../../shared/store/event-log';

export const handler = httpRoute('ExportEvents', async (caller, event) => {
  const query = parseOr400(EventExportQuerySchema, event.queryStringParameters ?? {});
  try {
    const page = await eventExportPage(caller.agencyId, query);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/x-ndjson',
        'content-disposition': `attachment; filename="events-${caller.agencyId}-${query.from}-${query.to}.ndjson"`,
        ...(page.next ? { 'x-next-cursor': page.next } : {}),
      },
      body: putEventsLines(page.events),
    };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badRequest([{ field: 'cursor', message: error.message }]);
    throw error;
  }
});
