import { CampaignBody } from '../../shared/api/request-schemas';
import { commandRoute, orConcurrentChange } from '../../shared/api/commands';
import { retryOnConflict } from '../../shared/store/retry';
import { badRequest, conflict } from '../../shared/api/http';
import { launchCampaign } from '../../shared/store/campaigns';

export const handler = commandRoute('LaunchCampaign', {
  detailType: 'CampaignLaunched',
  body: CampaignBody,
  toDetail: (body, caller) => ({ ...body, agencyIds: body.agencyIds ?? [caller.agencyId] }),
  validate: (detail) => {
    // The agencies named are checked by commandRoute (shared/domain/tenancy.ts): the launcher and its region's only.
    const fields = [
      ...(detail.endsOn !== undefined && detail.endsOn < detail.startsOn
        ? [{ field: 'endsOn', message: 'must not be before startsOn' }]
        : []),
    ];
    if (fields.length > 0) throw badRequest(fields);
  },
  record: async (event) => {
    const outcome = await orConcurrentChange(retryOnConflict(`campaign ${event.detail.campaignId}`, () => launchCampaign(event)));
    if (outcome === 'campaign_exists') {
      throw conflict(
        'campaign_exists',
        `campaign ${event.detail.campaignId} was already launched, by this agency or one that shares it with this agency`,
      );
    }
  },
});
