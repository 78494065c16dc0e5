// Which other agencies an event may reach (docs/rules.md, tenancy): a referral or a shared campaign goes only to
// agencies of the sender's region, and an agency in no region reaches none. One rule, applied by the
// API to a command (a 400 naming the field) and by every projector to an event from the bus (a dead
// letter with the reason), so another system cannot do on the bus what the API refuses.
import type { DomainEvent, FieldError } from '../events/catalogue';
import { regionOfAgency, regions, type Regions } from '../wiring/regions';

export function tenancyViolations(event: DomainEvent, config: Regions = regions): FieldError[] {
  const sender = event.detail.agencyId;
  const region = regionOfAgency(sender, config);
  const outside = (agencyId: string) => agencyId !== sender && (region === undefined || regionOfAgency(agencyId, config) !== region);
  const why =
    region === undefined
      ? `${sender} is in no region, so it refers on to and shares with no other agency`
      : `not an agency of ${sender}'s region (${region})`;
  switch (event.detailType) {
    case 'EnquiryReferredOn': {
      const { toAgencyId } = event.detail;
      if (toAgencyId === sender) return [{ field: 'toAgencyId', message: 'must be another agency' }];
      return outside(toAgencyId) ? [{ field: 'toAgencyId', message: why }] : [];
    }
    case 'CampaignLaunched': {
      const { agencyIds } = event.detail;
      return [
        ...(agencyIds.includes(sender) ? [] : [{ field: 'agencyIds', message: 'must include the launching agency' }]),
        ...agencyIds.flatMap((agencyId, i) => (outside(agencyId) ? [{ field: `agencyIds.${i}`, message: `${agencyId}: ${why}` }] : [])),
      ];
    }
    default:
      return [];
  }
}
