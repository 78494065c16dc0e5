import { commandBodySchema } from '../../shared/events/catalogue';
import { commandRoute, orConcurrentChange } from '../../shared/api/commands';
import { conflict, notFound } from '../../shared/api/http';
import { recordCampaignSpend } from '../../shared/store/campaigns';
import { retryOnConflict } from '../../shared/store/retry';

export const handler = commandRoute('RecordCampaignSpend', {
  detailType: 'CampaignSpendRecorded',
  body: commandBodySchema('CampaignSpendRecorded'),
  record: async (event) => {
    const outcome = await orConcurrentChange(retryOnConflict(`campaign ${event.detail.campaignId}`, () => recordCampaignSpend(event)));
    if (outcome === 'no_such_campaign') throw notFound('campaign');
    // A campaign shared with this agency is read here, but its spend is its launcher's.
    if (outcome === 'campaign_of_another_agency') {
      throw conflict(
        'campaign_of_another_agency',
        `campaign ${event.detail.campaignId} was launched by another agency: only it records the spend`,
      );
    }
  },
});
