import { json, parseOr400 } from '../../shared/api/http';
import { scopedRoute } from '../../shared/api/figures-route';
import { CampaignsQuerySchema, campaignsFor } from '../../shared/queries/campaigns';

export const handler = scopedRoute('ListCampaigns', async (caller, event) => {
  parseOr400(CampaignsQuerySchema, event.queryStringParameters ?? {});
  return json(200, await campaignsFor(caller.scope));
});
