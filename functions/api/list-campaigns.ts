import { json, parseOr400, scopedRoute } from '../../shared/api/http';
import { CampaignsQuerySchema, campaignsFor } from '../../shared/queries/campaigns';

export const handler = scopedRoute('ListCampaigns', async (caller, event) => {
  parseOr400(CampaignsQuerySchema, event.queryStringParameters ?? {});
  return json(200, await campaignsFor(caller.scope));
});
