// The OpenAPI 3.1 document, generated from the route table and the zod schemas (zod 4's own
// JSON Schema output), so it cannot drift from what the handlers accept. A static document: no Lambda serves it.
import * as z from 'zod';
import { apiRoutes } from '../wiring/http-routes';
import { routeSummaries } from '../wiring/route-summaries';
import { queryStrings, requestBodies } from './route-schemas';

/** Where the document is served: locally by the local server, in AWS as a file beside the dashboard. */
export const OPENAPI_PATH = '/openapi.json';

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

const formatParameter = {
  name: 'format',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['json', 'csv'] },
  description: 'csv: the answer as CSV (as `Accept: text/csv`); overrides the Accept header',
};
const csvDescription = 'Two columns, figure and value: one row per figure of the JSON answer, its path joined by dots (docs/api.md, "CSV")';

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    const body = requestBodies[route.name];
    const query = queryStrings[route.name];
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryParams =
      query instanceof z.ZodObject
        ? Object.entries(
            (z.toJSONSchema(query, { io: 'input' }) as { properties?: Record<string, unknown>; required?: string[] }).properties ?? {},
          ).map(([name, schema]) => ({
            name,
            in: 'query',
            required: (z.toJSONSchema(query, { io: 'input' }) as { required?: string[] }).required?.includes(name) ?? false,
            schema,
          }))
        : [];
    const isCommand = route.kind === 'command';
    // The public's enquiry records like a command (202), without an Idempotency-Key.
    const records = isCommand || (route.kind === 'public' && route.method === 'POST');
    const csv = 'csv' in route && route.csv === true;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.name,
      summary: routeSummaries[route.name],
      description: route.allowedRoles.length ? `Groups: ${route.allowedRoles.join(', ')}` : 'No token needed',
      security: route.allowedRoles.length ? [{ cognito: [] }] : [],
      parameters: [
        ...pathParams,
        ...queryParams,
        ...(csv ? [formatParameter] : []),
        ...(isCommand ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }] : []),
      ],
      ...(body
        ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(body, { io: 'input' }) } } } }
        : {}),
      responses: {
        [records ? '202' : '200']: {
          description: isCommand
            ? 'Accepted: the eventId (and the id the server assigned: householdId, holdId, placementId)'
            : records
              ? "Accepted: the household's reference (a page, for a plain form post)"
              : 'OK',
          ...(csv ? { content: { 'application/json': {}, 'text/csv': { schema: { type: 'string', description: csvDescription } } } } : {}),
        },
        400: { description: 'Invalid: every bad field named', content: { 'application/json': { schema: errorSchema } } },
        401: { description: 'No valid token' },
        403: { description: 'Not for this group' },
        404: { description: 'Not found in this agency' },
        409: { description: "The household's state forbids it" },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Fostering recruitment and sufficiency API', version: '1.0.0' },
    components: { securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
