// The campaigns the signed-in agency (or region) may name, read once per session and again after a
// launch, so that every panel shows a campaign by its name and offers campaigns to choose by name.
import type { CampaignSummary } from '../../shared/domain/campaigns';
import type { Api } from './api';

export type { CampaignSummary };

export interface CampaignBook {
  list(): Promise<CampaignSummary[]>;
  /** The campaign's name, or its id while the names are unknown (or for one launched elsewhere). */
  nameOf(campaignId: string): string;
  /** After a launch: the next list() reads again. */
  forget(): void;
}

export function campaignBook(api: Api): CampaignBook {
  let pending: Promise<CampaignSummary[]> | undefined;
  const names = new Map<string, string>();
  const list = async (): Promise<CampaignSummary[]> => {
    pending ??= api.get<{ campaigns: CampaignSummary[] }>('/campaigns').then(({ campaigns }) => {
      for (const c of campaigns) names.set(c.campaignId, c.name);
      // A campaign shared by a region's agencies is one campaign: listed once.
      return [...new Map(campaigns.map((c) => [c.campaignId, c])).values()];
    });
    try {
      return await pending;
    } catch (error) {
      pending = undefined;
      throw error;
    }
  };
  return { list, nameOf: (id) => names.get(id) ?? id, forget: () => (pending = undefined) };
}
