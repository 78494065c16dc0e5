import { CampaignBody } from '../../shared/api/request-schemas';
import { commandRoute } from '../../shared/api/commands';
import { badRequest, conflict } from '../../shared/api/http';
import { getCampaign } from '../../shared/store/campaigns';

export const handler = commandRoute('LaunchCampaign', {
  detailType: 'CampaignLaunched',
  body: CampaignBody,
  toDetail: (body, caller) => ({ ...body, agencyIds: body.agencyIds ?? [caller.agencyId] }),
  check: async (detail) => {
    const fields = [
      ...(detail.agencyIds.includes(detail.agencyId) ? [] : [{ field: 'agencyIds', message: 'must include your own agency' }]),
      ...(detail.endsOn !== undefined && detail.endsOn < detail.startsOn
        ? [{ field: 'endsOn', message: 'must not be before startsOn' }]
        : []),
    ];
    if (fields.length > 0) throw badRequest(fields);
    if (await getCampaign(detail.agencyId, detail.campaignId))
      throw conflict('campaign_exists', `campaign ${detail.campaignId} was already launched`);
  },
});
