// The hub's figures (docs/metrics.md, the hub's front door): the households that enquired at a
// region's hub, each followed through its handover to the council that took it on. Unlike the
// regional figures (one household counted once, where it is open), these count a household at the
// hub whatever the council did next, so the front door's work and its outcome read together.
import type { TimescaleTargets } from './agency-settings';
import { median, ratio } from './arithmetic';
import { dateOf, daysBetween, type IsoDate } from './calendar';
import { enquiredOn, firstResponseDueOn, firstResponseOn } from './follow-up';
import { closedAsDuplicate, referredOnNow, type HouseholdState } from './household';
import { addWorkingDays } from './working-days';

/** A household that enquired at the hub, and the receiving council's record of it once handed over. */
export interface HubHousehold {
  atHub: HouseholdState;
  atCouncil?: HouseholdState;
}

export interface WithinTarget {
  households: number;
  withinTarget: number;
  rate: number | null;
}

/** What became of some households the hub answered: of the hub's enquiries, or of those handed to one council. */
export interface CouncilFigures {
  handedOver: number;
  applications: number;
  approvals: number;
  /** Applications ÷ enquiries at the hub; for a council, ÷ the households handed to it. */
  enquiryToApplicationRate: number | null;
  medianDaysEnquiryToHandover: number | null;
  medianDaysApplicationToApproval: number | null;
}

export interface HubFigureSet extends CouncilFigures {
  enquiries: number;
  firstResponse: WithinTarget;
  initialVisit: WithinTarget;
  /** The same outcomes for the households handed to each council (none handed over: not listed). */
  byCouncil: Record<string, CouncilFigures>;
}

export interface HubWindowFigures extends HubFigureSet {
  from: IsoDate;
  to: IsoDate;
  /** The same figures for the households that came through each campaign (none: not listed). */
  byCampaign: Record<string, HubFigureSet>;
}

/** GET /metrics/hub's answer: the window's figures, and the same window a year earlier. */
export interface HubFiguresAnswer extends HubWindowFigures {
  hubAgencyId: string;
  yearEarlier: HubWindowFigures;
}

const withinTarget = (within: readonly boolean[]): WithinTarget => {
  const n = within.filter(Boolean).length;
  return { households: within.length, withinTarget: n, rate: ratio(n, within.length, 4) };
};

/** The earliest of some dates, or undefined when there are none. */
const earliest = (...dates: Array<IsoDate | undefined>): IsoDate | undefined =>
  dates.filter((d): d is IsoDate => d !== undefined).sort()[0];

/** One household's way on from the hub: where it went, and what came of it there. */
interface Outcome {
  council?: string;
  daysToHandover?: number;
  applied: boolean;
  approved: boolean;
  daysToApproval?: number;
}

/** The outcomes of some households, counted, with applications per `enquiries` and the medians. */
function outcomeFigures(outcomes: readonly Outcome[], enquiries: number): CouncilFigures {
  const applications = outcomes.filter((o) => o.applied).length;
  const daysToHandover = outcomes.flatMap((o) => (o.daysToHandover === undefined ? [] : [o.daysToHandover]));
  return {
    handedOver: daysToHandover.length,
    applications,
    approvals: outcomes.filter((o) => o.approved).length,
    enquiryToApplicationRate: ratio(applications, enquiries, 4),
    medianDaysEnquiryToHandover: median(daysToHandover),
    medianDaysApplicationToApproval: median(outcomes.flatMap((o) => (o.daysToApproval === undefined ? [] : [o.daysToApproval]))),
  };
}

/**
 * The figures of a set of hub households (each already in the window). First response and initial
 * visit are measured from the hub's enquiry date against the hub's targets, wherever they were made
 * (the hub's record, or the council's after the handover); applications and approvals are wherever
 * the household went, and by council for those handed over.
 */
export function hubFigureSet(households: readonly HubHousehold[], hubTargets: TimescaleTargets): HubFigureSet {
  const responses: boolean[] = [];
  const visits: boolean[] = [];
  const outcomes: Outcome[] = [];
  for (const { atHub, atCouncil } of households) {
    const enquired = enquiredOn(atHub)!;
    const handover = referredOnNow(atHub);
    // The council's record only while the handover stands (a household handed back is the hub's again).
    const council = handover !== undefined && atCouncil?.agencyId === handover.toAgencyId ? atCouncil : undefined;
    const followed = council ?? atHub;

    const responded = earliest(firstResponseOn(atHub), council && firstResponseOn(council));
    if (responded !== undefined) responses.push(responded <= firstResponseDueOn(atHub, hubTargets)!);
    const visited = earliest(
      atHub.initialVisitAt && dateOf(atHub.initialVisitAt),
      council?.initialVisitAt && dateOf(council.initialVisitAt),
    );
    if (visited !== undefined) visits.push(visited <= addWorkingDays(enquired, hubTargets.initialVisitWorkingDays));

    outcomes.push({
      ...(handover !== undefined ? { council: handover.toAgencyId, daysToHandover: daysBetween(enquired, handover.at) } : {}),
      applied: followed.assessmentAt !== undefined,
      approved: followed.approvedAt !== undefined,
      ...(followed.approvedAt !== undefined && followed.assessmentAt !== undefined
        ? { daysToApproval: daysBetween(followed.assessmentAt, followed.approvedAt) }
        : {}),
    });
  }
  const councils = [...new Set(outcomes.flatMap((o) => (o.council === undefined ? [] : [o.council])))].sort((a, b) => a.localeCompare(b));
  return {
    enquiries: households.length,
    firstResponse: withinTarget(responses),
    initialVisit: withinTarget(visits),
    ...outcomeFigures(outcomes, households.length),
    // A council's rate is per household handed to it: every one of its outcomes is a handover.
    byCouncil: Object.fromEntries(
      councils.map((id) => {
        const handedTo = outcomes.filter((o) => o.council === id);
        return [id, outcomeFigures(handedTo, handedTo.length)];
      }),
    ),
  };
}

/** The hub's figures for the households that enquired at it in [from, to], and by campaign. */
export function hubWindowFigures(
  households: readonly HubHousehold[],
  window: { from: IsoDate; to: IsoDate },
  hubTargets: TimescaleTargets,
): HubWindowFigures {
  const inWindow = households.filter(({ atHub, atCouncil }) => {
    // The council found it a second enquiry of the same people: no enquiry here either.
    if (atCouncil && closedAsDuplicate(atCouncil)) return false;
    const on = enquiredOn(atHub);
    return on !== undefined && on >= window.from && on <= window.to;
  });
  const campaigns = new Map<string, HubHousehold[]>();
  for (const household of inWindow) {
    const campaignId = household.atHub.enquiry?.campaignId;
    if (campaignId !== undefined) campaigns.set(campaignId, [...(campaigns.get(campaignId) ?? []), household]);
  }
  return {
    from: window.from,
    to: window.to,
    ...hubFigureSet(inWindow, hubTargets),
    byCampaign: Object.fromEntries(
      [...campaigns].sort(([a], [b]) => a.localeCompare(b)).map(([id, set]) => [id, hubFigureSet(set, hubTargets)]),
    ),
  };
}
