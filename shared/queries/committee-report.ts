// What the committee report reads: the very answers of the metric endpoints for the same
// dates, from the same query functions, so every figure in the document is the API's.
import * as z from 'zod';
import { addYears, financialYearOf, type IsoDate } from '../domain/calendar';
import { campaignConversionFor } from './campaign-conversion';
import { bedsOnHoldFor, capacityFor, sufficiencyFor } from './capacity';
import { resignationForecastFor } from './forecast';
import { agencySettingsFor, settingsForScope } from './agency-settings';
import { getCampaign } from '../store/campaigns';

export const ReportQuerySchema = z
  .strictObject({
    from: z.iso.date().describe('the first day of the period reported on'),
    to: z.iso.date().describe('the last day of the period: the figures at a date are at this one'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => q.to <= addYears(q.from, 10), { path: ['to'], message: 'a window spans at most ten years' });

export async function committeeReportFigures(agencyId: string, from: IsoDate, to: IsoDate) {
  const [settings, { serviceName }] = await Promise.all([settingsForScope(agencyId), agencySettingsFor(agencyId)]);
  const financialYear = financialYearOf(to);
  const [conversion, byCampaign, byChannel, capacity, bedsOnHold, sufficiency, forecast] = await Promise.all([
    campaignConversionFor(agencyId, { from, to }),
    campaignConversionFor(agencyId, { from, to, groupBy: 'campaign' }),
    campaignConversionFor(agencyId, { from, to, groupBy: 'channel' }),
    capacityFor(agencyId, to),
    bedsOnHoldFor(agencyId, to),
    sufficiencyFor(agencyId, to, settings),
    resignationForecastFor(agencyId, { financialYear, asOf: to }, settings),
  ]);
  const campaignNames = Object.fromEntries(
    await Promise.all(
      byCampaign.groups
        .flatMap((g) => (g.key === null ? [] : [g.key]))
        .map(async (key) => [key, (await getCampaign(agencyId, key))?.name ?? key] as const),
    ),
  );
  return {
    agencyId,
    serviceName,
    from,
    to,
    financialYear,
    conversion,
    byCampaign,
    byChannel,
    capacity,
    bedsOnHold,
    sufficiency,
    forecast,
    campaignNames,
  };
}
export type CommitteeReportFigures = Awaited<ReturnType<typeof committeeReportFigures>>;
