import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { ForecastQuerySchema, resignationForecastFor } from '../../shared/queries/forecast';
import { agencySettingsFor } from '../../shared/queries/agency-settings';

export const handler = httpRoute('ResignationForecast', async (caller, event) => {
  const query = parseOr400(ForecastQuerySchema, event.queryStringParameters ?? {});
  const { attritionRate } = await agencySettingsFor(caller.agencyId);
  return json(200, await resignationForecastFor(caller.agencyId, query, attritionRate));
});
