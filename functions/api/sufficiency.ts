import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { dateOrToday, sufficiencyFor, SufficiencyQuerySchema } from '../../shared/queries/capacity';
import { agencySettingsFor } from '../../shared/queries/agency-settings';

export const handler = httpRoute('Sufficiency', async (caller, event) => {
  const query = parseOr400(SufficiencyQuerySchema, event.queryStringParameters ?? {});
  const settings = await agencySettingsFor(caller.agencyId);
  return json(200, await sufficiencyFor(caller.agencyId, dateOrToday(query.at), {
    targetInHouseShare: query.targetInHouseShare ?? settings.targetInHouseShare,
    attritionRate: settings.attritionRate,
  }));
});
