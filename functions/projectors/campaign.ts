import { projectorHandler } from '../../shared/projections/projector';
import { recordCampaign, recordSpend } from '../../shared/store/campaigns';

export const handler = projectorHandler('CampaignProjector', async (event) =>
  event.detailType === 'CampaignLaunched' ? recordCampaign(event.detail) : recordSpend(event.detail),
);
