// A campaign as people see it in a list: by name, with its channels, dates, budget and the agencies
// it runs for. Pure.
import type { EventDetail } from '../events/catalogue';
import { trackingCodeOf } from './front-door';

export interface CampaignSummary {
  campaignId: string;
  name: string;
  channels: string[];
  startsOn: string;
  endsOn: string | null;
  budgetPence: number | null;
  /** The agency that launched it. */
  launchedBy: string;
  /** Every agency it runs for, the launcher's included. */
  agencyIds: string[];
  /** What its tracking link carries as `utm_campaign` (docs/rules.md, the front door). */
  trackingCode: string;
}

/** Each campaign once (a shared one is recorded under every agency it names), newest first. */
export function campaignList(launched: ReadonlyArray<EventDetail<'CampaignLaunched'>>): CampaignSummary[] {
  const byId = new Map<string, CampaignSummary>();
  for (const c of launched) {
    byId.set(c.campaignId, {
      campaignId: c.campaignId,
      name: c.name,
      channels: c.channels,
      startsOn: c.startsOn,
      endsOn: c.endsOn ?? null,
      budgetPence: c.budgetPence ?? null,
      launchedBy: c.agencyId,
      agencyIds: c.agencyIds,
      trackingCode: trackingCodeOf(c),
    });
  }
  return [...byId.values()].sort(
    (a, b) => b.startsOn.localeCompare(a.startsOn) || a.name.localeCompare(b.name) || a.campaignId.localeCompare(b.campaignId),
  );
}
