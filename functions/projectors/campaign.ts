import { projectorHandler } from '../../shared/projections/projector';
import { recordCampaign, recordSpend } from '../../shared/store/campaigns';

export const handler = projectorHandler(['CampaignLaunched', 'CampaignSpendRecorded'], async (event) =>
  event.detailType === 'CampaignLaunched' ? recordCampaign(event.detail) : recordSpend(event.detail));
