import { httpRoute, json, parseOr400 } from '../../shared/api/http';
import { ReferralRewardsQuerySchema, referralRewardsFor } from '../../shared/queries/referral-rewards';

export const handler = httpRoute('ReferralRewards', async (caller, event) => {
  const query = parseOr400(ReferralRewardsQuerySchema, event.queryStringParameters ?? {});
  return json(200, await referralRewardsFor(caller.agencyId, query));
});
