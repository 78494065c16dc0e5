import { CampaignBody } from '../../shared/api/request-schemas';
import { backoff, commandRoute, MAX_RECORD_ATTEMPTS } from '../../shared/api/commands';
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
    for (let attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt++) {
      const outcome = await launchCampaign(event);
      if (outcome === 'recorded') return;
      if (outcome === 'campaign_exists') {
        throw conflict(
          'campaign_exists',
          `campaign ${event.detail.campaignId} was already launched, by this agency or one that shares it with this agency`,
        );
      }
      await backoff(attempt);
    }
    throw conflict('concurrent_change', 'the campaign was being changed at the same time: send it again');
  },
});
