import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { campaignConversionFor, ConversionQuerySchema } from '../../shared/queries/campaign-conversion';

export const handler = httpRoute('CampaignConversion', async (caller, event) => {
  const query = parseOr400(ConversionQuerySchema, event.queryStringParameters ?? {});
  return json(200, await campaignConversionFor(caller.agencyId, query));
});
