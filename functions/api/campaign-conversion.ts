import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { campaignConversionFor, ConversionQuerySchema } from '../../shared/queries/campaign-conversion';

export const handler = scopedRoute('CampaignConversion', async (caller, event) => {
  const query = parseOr400(ConversionQuerySchema, event.queryStringParameters ?? {});
  return json(200, await campaignConversionFor(caller.scope, query));
});
