import { json, publicRoute } from '../../shared/api/http';
import { openApiDocument } from '../../shared/api/openapi';

const document = openApiDocument(); // built once per container

export const handler = publicRoute(async () => json(200, document));
