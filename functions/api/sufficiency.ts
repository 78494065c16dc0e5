import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { dateOrToday, sufficiencyFor, SufficiencyQuerySchema } from '../../shared/queries/capacity';
import { DEFAULT_TARGET_IN_HOUSE_SHARE } from '../../shared/domain/sufficiency';
import { DEFAULT_ATTRITION_RATE } from '../../shared/domain/resignation-forecast';

export const handler = httpRoute('Sufficiency', async (caller, event) => {
  const query = parseOr400(SufficiencyQuerySchema, event.queryStringParameters ?? {});
  return json(200, await sufficiencyFor(caller.agencyId, dateOrToday(query.at), {
    targetInHouseShare: query.targetInHouseShare ?? DEFAULT_TARGET_IN_HOUSE_SHARE,
    attritionRate: DEFAULT_ATTRITION_RATE,
  }));
});
