// Reads what the hub's figures need: the hub's households that enquired in the window (and a year
// earlier), and for those handed over, the receiving council's record of each.
import * as z from 'zod';
import { addYears, endOfDay, startOfDay } from '../domain/calendar';
import { referredOnNow } from '../domain/household';
import { hubWindowFigures, type HubFiguresAnswer, type HubHousehold } from '../domain/hub-figures';
import { CalendarDate, checkWindow } from '../events/catalogue';
import { getHouseholdStates, householdsByIndexes } from '../store/households';
import type { ReadTally } from '../store/query-pages';
import { targetsForScope } from './caseload';
import { regionParameter } from './scope';

export const HubFiguresQuerySchema = z
  .strictObject({
    from: CalendarDate.describe('first enquiry date counted (at the hub)'),
    to: CalendarDate.describe('last enquiry date counted (at the hub)'),
    ...regionParameter,
  })
  .superRefine(checkWindow);
export type HubFiguresQuery = z.infer<typeof HubFiguresQuerySchema>;

export async function hubFiguresFor(
  hubAgencyId: string,
  query: { from: string; to: string },
  tally?: ReadTally,
): Promise<HubFiguresAnswer> {
  const earlier = { from: addYears(query.from, -1), to: addYears(query.to, -1) };
  const [atHub, targetsOf] = await Promise.all([
    householdsByIndexes(
      hubAgencyId,
      [
        { index: 'byEnquiredAt', from: startOfDay(query.from), to: endOfDay(query.to) },
        { index: 'byEnquiredAt', from: startOfDay(earlier.from), to: endOfDay(earlier.to) },
      ],
      tally,
    ),
    targetsForScope(hubAgencyId, tally),
  ]);
  // Each council's records of the households handed to it, in one batch per council.
  const handedTo = new Map<string, string[]>();
  for (const household of atHub) {
    const handover = referredOnNow(household);
    if (handover) handedTo.set(handover.toAgencyId, [...(handedTo.get(handover.toAgencyId) ?? []), household.householdId]);
  }
  const atCouncils = (await Promise.all([...handedTo].map(([councilId, ids]) => getHouseholdStates(councilId, ids, tally)))).flat();
  const councilRecord = new Map(atCouncils.map((state) => [`${state.agencyId}/${state.householdId}`, state]));
  const households: HubHousehold[] = atHub.map((household) => {
    const handover = referredOnNow(household);
    return { atHub: household, atCouncil: handover && councilRecord.get(`${handover.toAgencyId}/${household.householdId}`) };
  });
  const targets = targetsOf(hubAgencyId);
  return {
    hubAgencyId,
    ...hubWindowFigures(households, query, targets),
    yearEarlier: hubWindowFigures(households, earlier, targets),
  };
}
