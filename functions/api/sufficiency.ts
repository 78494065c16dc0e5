import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { dateOrToday, sufficiencyFor, SufficiencyQuerySchema } from '../../shared/queries/capacity';
import { settingsForScope } from '../../shared/queries/agency-settings';

export const handler = scopedRoute('Sufficiency', async (caller, event) => {
  const query = parseOr400(SufficiencyQuerySchema, event.queryStringParameters ?? {});
  const settings = await settingsForScope(caller.scope);
  return json(
    200,
    await sufficiencyFor(caller.scope, dateOrToday(query.at), {
      ...settings,
      targetInHouseShare: query.targetInHouseShare ?? settings.targetInHouseShare,
    }),
  );
});
