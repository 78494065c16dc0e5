import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { ForecastQuerySchema, resignationForecastFor } from '../../shared/queries/forecast';
import { settingsForScope } from '../../shared/queries/agency-settings';

export const handler = scopedRoute('ResignationForecast', async (caller, event) => {
  const query = parseOr400(ForecastQuerySchema, event.queryStringParameters ?? {});
  return json(200, await resignationForecastFor(caller.scope, query, await settingsForScope(caller.scope)));
});
