import { commandBodySchema } from '../../shared/events/catalogue';
import { commandRoute } from '../../shared/api/commands';
import { notFound } from '../../shared/api/http';
import { getCampaign } from '../../shared/store/campaigns';

export const handler = commandRoute('RecordCampaignSpend', {
  detailType: 'CampaignSpendRecorded',
  body: commandBodySchema('CampaignSpendRecorded'),
  check: async (detail) => {
    if (!(await getCampaign(detail.agencyId, detail.campaignId))) throw notFound('campaign');
  },
});
