import { openApiDocument } from '../../shared/api/openapi';
import { apiRoutes } from '../../shared/wiring/http-routes';

describe('GET /openapi.json', () => {
  const document = openApiDocument();
  it('describes every route of the route table', () => {
    for (const route of apiRoutes)
      expect(document.paths[route.path]?.[route.method.toLowerCase()]).toMatchObject({ operationId: route.name });
  });
  it('documents a command body from the same schema the handler validates with', () => {
    const enquiry = document.paths['/enquiries']?.post as {
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
    };
    expect(enquiry.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['channel', 'contact']));
  });
});
