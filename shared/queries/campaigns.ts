// The campaigns a scope may name, so that people see them by name: an agency's own and the ones
// shared with it; for a region, each campaign of its agencies once. Reads one partition per agency
// (its campaigns, a handful a year), never the spend or the households.
import * as z from 'zod';
import { campaignList, type CampaignSummary } from '../domain/campaigns';
import { campaignsOf } from '../store/campaigns';
import { perAgency, regionParameter, type ScopeOrAgency } from './scope';

export const CampaignsQuerySchema = z.strictObject({ ...regionParameter });

export async function campaignsFor(scope: ScopeOrAgency): Promise<{ campaigns: CampaignSummary[] }> {
  return { campaigns: campaignList(await perAgency(scope, (agencyId) => campaignsOf(agencyId))) };
}
