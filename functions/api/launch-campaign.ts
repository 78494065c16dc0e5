import { CampaignBody } from '../../shared/api/request-schemas';
import { commandRoute, orConcurrentChange } from '../../shared/api/commands';
import { retryOnConflict } from '../../shared/store/retry';
import { badRequest, conflict } from '../../shared/api/http';
import { campaignsOf, launchCampaign } from '../../shared/store/campaigns';
import { trackingCodeFrom, trackingCodeOf, withSuffix } from '../../shared/domain/front-door';
import type { DomainEventOf } from '../../shared/events/catalogue';

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
    // Codes the named agencies' campaigns answer to already (those another system launched included).
    const taken = new Set(
      (await Promise.all([...new Set(event.detail.agencyIds)].map((agencyId) => campaignsOf(agencyId))))
        .flat()
        .filter((c) => c.campaignId !== event.detail.campaignId)
        .map(trackingCodeOf),
    );
    const given = event.detail.trackingCode;
    if (given !== undefined && taken.has(given)) throw trackingCodeTaken(given);
    // A code derived from the name that is taken gets the first free number after it.
    const base = given ?? trackingCodeFrom(event.detail.name, event.detail.campaignId);
    let refused = 0;
    for (let n = 1; ; n++) {
      const code = n === 1 ? base : withSuffix(base, n);
      if (taken.has(code)) continue;
      const launch: DomainEventOf<'CampaignLaunched'> = { ...event, detail: { ...event.detail, trackingCode: code } };
      const outcome = await orConcurrentChange(retryOnConflict(`campaign ${event.detail.campaignId}`, () => launchCampaign(launch)));
      if (outcome === 'campaign_exists') {
        throw conflict(
          'campaign_exists',
          `campaign ${event.detail.campaignId} was already launched, by this agency or one that shares it with this agency`,
        );
      }
      if (outcome !== 'tracking_code_taken') return launch.detail;
      // Taken by a launch this one raced: the next number, a few times at most.
      if (given !== undefined || ++refused >= 10) throw trackingCodeTaken(code);
      taken.add(code);
    }
  },
  answer: (detail) => ({ trackingCode: detail.trackingCode }),
});

const trackingCodeTaken = (code: string) =>
  conflict('tracking_code_taken', `another campaign of an agency this one names has the tracking code ${code}: choose another`);
