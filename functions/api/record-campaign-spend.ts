import { commandBodySchema } from '../../shared/events/catalogue';
import { backoff, commandRoute, MAX_RECORD_ATTEMPTS } from '../../shared/api/commands';
import { conflict, notFound } from '../../shared/api/http';
import { recordCampaignSpend } from '../../shared/store/campaigns';

export const handler = commandRoute('RecordCampaignSpend', {
  detailType: 'CampaignSpendRecorded',
  body: commandBodySchema('CampaignSpendRecorded'),
  record: async (event) => {
    for (let attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt++) {
      const outcome = await recordCampaignSpend(event);
      if (outcome === 'recorded') return;
      if (outcome === 'no_such_campaign') throw notFound('campaign');
      // A campaign shared with this agency is read here, but its spend is its launcher's.
      if (outcome === 'campaign_of_another_agency') {
        throw conflict(
          'campaign_of_another_agency',
          `campaign ${event.detail.campaignId} was launched by another agency: only it records the spend`,
        );
      }
      await backoff(attempt);
    }
    throw conflict('concurrent_change', 'the campaign was being changed at the same time: send it again');
  },
});
