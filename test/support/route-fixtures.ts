// One fixture per HTTP route, keyed by the route's name: how to put the caller's agency in a state
// that allows the route, and a valid request for it. The authorization matrix and the input fuzz
// both start from here; the type (and a test) make a route without a fixture fail.
import type { ApiRouteName } from '../../shared/wiring/http-routes';
import type { DomainEvent } from '../../shared/events/catalogue';
import { anEvent } from './funnel-events';
import { documentText } from './docx';
import { countScreened } from '../../shared/store/front-door';
import type { RouteRequest } from './in-process-stack';
import { appendAudit } from '../../shared/store/audit';
import { hubOfRegion, regionOfAgency } from '../../shared/wiring/regions';

const AUDIT_FIXTURE_SUB = 'fixture-auditor';

export interface FixtureContext {
  /** The agency whose records the request is about (the caller's own). */
  agencyId: string;
  /** Puts events on the bus and waits until they are projected. */
  record(...events: readonly DomainEvent[]): Promise<void>;
}

export interface RouteFixture {
  /** Prepares the agency's records and returns a valid request that the state allows (2xx). */
  prepare(context: FixtureContext): Promise<RouteRequest>;
  /**
   * For reads without an id in the path: how much of the agency's prepared records the answer
   * shows. More than 0 for the agency itself (or its region), 0 for any other agency.
   */
  footprint?(answer: any): number | Promise<number>;
  /** The route is a region's hub's (docs/rules.md, hub): the tests call it as the hub of the region of
   *  the agency they would otherwise act for, and a council's token is refused (403). */
  hubOnly?: true;
}

/** The agency a test acts for on a route: the agency itself, or for a hub's route its region's hub. */
export function actingAgency(fixture: RouteFixture, agencyId: string): string {
  if (!fixture.hubOnly) return agencyId;
  const regionId = regionOfAgency(agencyId);
  const hub = regionId === undefined ? undefined : hubOfRegion(regionId);
  if (!hub) throw new Error(`${agencyId}'s region names no hub for a hub's route`);
  return hub;
}

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${++sequence}-${Math.random().toString(36).slice(2, 8)}`;
/** Every prepared record is dated 2019; requests carry no date, so they happen now, afterwards. */
const on = (date: string) => `${date}T10:00:00Z`;

/** A household of the agency that enquired, then went through the given steps. */
async function household(
  context: FixtureContext,
  steps: 'enquired' | 'visited' | 'assessed' | 'approved',
  more: (householdId: string) => DomainEvent[] = () => [],
) {
  const { agencyId } = context;
  const householdId = unique('household');
  const events: DomainEvent[] = [anEvent('EnquiryReceived', on('2019-06-03'), { householdId, agencyId, channel: 'website' })];
  const order = ['enquired', 'visited', 'assessed', 'approved'];
  if (order.indexOf(steps) >= 1) events.push(anEvent('InitialVisitCompleted', on('2019-06-20'), { householdId, agencyId }));
  if (order.indexOf(steps) >= 2) events.push(anEvent('AssessmentStarted', on('2019-07-01'), { householdId, agencyId, prospectiveBeds: 2 }));
  if (order.indexOf(steps) >= 3)
    events.push(anEvent('HouseholdApproved', on('2019-08-01'), { householdId, agencyId, category: 'mainstream', approvedBeds: 2 }));
  await context.record(...events, ...more(householdId));
  return householdId;
}

const seeded = new Map<string, Promise<void>>();
/** Marks the settings change the agency's own records hold, so that an answer can be told apart. */
export const SEED_CHANGED_BY = 'fixture-seed';

/**
 * What the metric reads find for the agency: a campaign with an enquiry in it, an approved carer
 * with a hold and a risk flag, a children-in-care count and a settings change, all in 2019. Once
 * per agency and set of tables; fixed event ids make a repeat a no-op anyway.
 */
function seedAgency(context: FixtureContext): Promise<void> {
  const key = `${process.env.PROJECTIONS_TABLE}/${context.agencyId}`;
  if (!seeded.has(key)) {
    const { agencyId } = context;
    const householdId = `seed-carer-${agencyId}`;
    const id = (n: number) => ({ agencyId, eventId: `seed-${agencyId}-${n}` });
    seeded.set(
      key,
      context.record(
        anEvent('CampaignLaunched', on('2019-05-20'), {
          ...id(1),
          campaignId: 'seed-campaign',
          name: 'Seed campaign',
          channels: ['facebook'],
          startsOn: '2019-06-01',
          agencyIds: [agencyId],
        }),
        anEvent('CampaignSpendRecorded', on('2019-06-01'), { ...id(2), campaignId: 'seed-campaign', amountPence: 100_000 }),
        anEvent('EnquiryReceived', on('2019-06-03'), { ...id(3), householdId, channel: 'facebook', campaignId: 'seed-campaign' }),
        anEvent('InitialVisitCompleted', on('2019-06-20'), { ...id(4), householdId }),
        anEvent('AssessmentStarted', on('2019-07-01'), { ...id(5), householdId }),
        anEvent('HouseholdApproved', on('2019-08-01'), { ...id(6), householdId, category: 'mainstream', approvedBeds: 2 }),
        anEvent('HoldStarted', on('2019-08-10'), { ...id(7), householdId, holdId: 'seed-hold', reason: 'matching', beds: 1 }),
        anEvent('ResignationRiskFlagged', on('2019-09-01'), { ...id(8), householdId, reason: 'retirement', likelihood: 0.5 }),
        anEvent('ChildrenInCareRecorded', on('2019-09-01'), { ...id(9), childrenInCare: 769, fosteredInHouse: 272, fosteredAgency: 180 }),
        anEvent('AgencySettingsChanged', on('2019-05-01'), {
          ...id(10),
          attritionRate: 0.12,
          targetInHouseShare: 0.6,
          changedBy: SEED_CHANGED_BY,
        }),
        // A friend the carer referred, approved: a refer-a-friend reward falls due (through the outbox).
        anEvent('EnquiryReceived', on('2019-06-10'), {
          ...id(11),
          householdId: `seed-friend-${agencyId}`,
          channel: 'referral',
          referredByHouseholdId: householdId,
        }),
        anEvent('HouseholdApproved', on('2019-10-01'), {
          ...id(12),
          householdId: `seed-friend-${agencyId}`,
          category: 'mainstream',
          approvedBeds: 1,
        }),
      ),
    );
  }
  return seeded.get(key)!;
}

/** The words an agency's enquiry form shows: set, the form is open. */
export const FORM_SETTINGS = {
  serviceName: 'Cambridgeshire Fostering Service',
  privacyNoticeText: 'We use your details only to answer your enquiry about fostering, and keep them as the law requires.',
  privacyNoticeUrl: 'https://www.example.gov.uk/fostering/privacy',
};

/** Opens the agency's enquiry form: its service's name and privacy notice set (once; a fixed event id). */
export async function openForm(context: FixtureContext): Promise<void> {
  await context.record(
    anEvent('AgencySettingsChanged', on('2019-04-01'), {
      agencyId: context.agencyId,
      eventId: `form-settings-${context.agencyId}`,
      attritionRate: 0.12,
      targetInHouseShare: 0.6,
      ...FORM_SETTINGS,
    }),
  );
}

let loopback = 1;
/** Another loopback address each time (127.0.0.2 …): a new source address for the front door's limits. */
export const nextLoopbackAddress = () => {
  loopback = (loopback % 250_000) + 1;
  return `127.${(loopback >> 16) & 255}.${(loopback >> 8) & 255}.${loopback & 255 || 1}`;
};

/** A metric read of the seeded 2019 records. */
const metric = (query: Record<string, string>, footprint: (answer: any) => number | Promise<number>): RouteFixture => ({
  prepare: async (context) => {
    await seedAgency(context);
    return { query };
  },
  footprint,
});

export const routeFixtures: { [N in ApiRouteName]: RouteFixture } = {
  LaunchCampaign: {
    prepare: async () => ({
      body: {
        campaignId: unique('campaign'),
        name: 'Foster Carer Fortnight',
        channels: ['facebook', 'radio'],
        startsOn: '2019-06-01',
        budgetPence: 500_000,
      },
    }),
  },
  ListCampaigns: metric({}, (answer) => answer.campaigns.filter((c: { campaignId: string }) => c.campaignId === 'seed-campaign').length),
  RecordCampaignSpend: {
    prepare: async (context) => {
      const campaignId = unique('campaign');
      await context.record(
        anEvent('CampaignLaunched', on('2019-05-20'), {
          agencyId: context.agencyId,
          campaignId,
          name: 'Radio week',
          channels: ['radio'],
          startsOn: '2019-06-01',
          agencyIds: [context.agencyId],
        }),
      );
      return { path: { campaignId }, body: { amountPence: 125_000, item: 'radio advert' } };
    },
  },
  ReceiveEnquiry: {
    prepare: async () => ({
      body: {
        channel: 'website',
        interests: ['teenagers'],
        postcodeDistrict: 'CB4',
        contact: { name: 'Alex Example', email: 'alex@example.org', phone: '01223 000000' },
      },
    }),
  },
  EnquiryForm: {
    prepare: async (context) => {
      await openForm(context);
      return { path: { agencyId: context.agencyId }, query: { utm_campaign: 'seed-campaign', utm_source: 'facebook' } };
    },
  },
  ReceivePublicEnquiry: {
    prepare: async (context) => {
      await openForm(context);
      return {
        path: { agencyId: context.agencyId },
        localAddress: nextLoopbackAddress(),
        body: {
          contact: { name: 'Sam Public', email: 'sam@example.org' },
          postcodeDistrict: 'CB4',
          interests: ['teenagers'],
          preferredContact: { method: 'email', timeOfDay: 'evening' },
          howHeard: 'radio',
          consent: true,
        },
      };
    },
  },
  ScreenedEnquiryPosts: {
    prepare: async (context) => {
      // A robot's post, kept out: counted on a day of 2019, without content.
      await countScreened(context.agencyId, '2019-06-03', 'honeypot');
      return { query: { from: '2019-06-01', to: '2019-06-30' } };
    },
    footprint: (answer) => answer.total.honeypot,
  },
  CompleteInitialVisit: { prepare: async (context) => ({ path: { householdId: await household(context, 'enquired') }, body: {} }) },
  StartAssessment: {
    prepare: async (context) => ({ path: { householdId: await household(context, 'visited') }, body: { prospectiveBeds: 2 } }),
  },
  ApproveHousehold: {
    prepare: async (context) => ({
      path: { householdId: await household(context, 'assessed') },
      body: { category: 'mainstream', approvedBeds: 2 },
    }),
  },
  CloseEnquiry: {
    prepare: async (context) => ({ path: { householdId: await household(context, 'enquired') }, body: { reason: 'not_proceeding' } }),
  },
  // Not the other agency of the matrix: referring a household to the caller's own agency is a 400.
  ReferEnquiryOn: {
    prepare: async (context) => ({ path: { householdId: await household(context, 'visited') }, body: { toAgencyId: 'peterborough' } }),
  },
  // Acting for the region's hub (eoe-hub), to one of its member councils.
  HandOverHousehold: {
    hubOnly: true,
    prepare: async (context) => ({ path: { householdId: await household(context, 'visited') }, body: { toAgencyId: 'peterborough' } }),
  },
  RecordContactAttempt: {
    prepare: async (context) => ({
      path: { householdId: await household(context, 'enquired') },
      body: { method: 'phone', outcome: 'callback_requested', followUpOn: '2100-01-04' },
    }),
  },
  RecordAssessmentMilestone: {
    prepare: async (context) => ({
      path: { householdId: await household(context, 'assessed') },
      body: { milestone: 'stage_one_completed' },
    }),
  },
  // A second enquiry from another system, which brings the household it may duplicate.
  ClearPossibleDuplicate: {
    prepare: async (context) => {
      const earlier = await household(context, 'enquired');
      const householdId = unique('household');
      await context.record(
        anEvent('EnquiryReceived', on('2019-07-03'), {
          householdId,
          agencyId: context.agencyId,
          channel: 'phone',
          possibleDuplicateOf: [earlier],
        }),
      );
      return { path: { householdId } };
    },
  },
  CorrectStep: {
    prepare: async (context) => {
      const eventId = unique('mistaken-call');
      const householdId = await household(context, 'enquired', (id) => [
        anEvent('ContactAttempted', on('2019-06-04'), {
          householdId: id,
          agencyId: context.agencyId,
          eventId,
          method: 'phone',
          outcome: 'no_answer',
        }),
      ]);
      return { path: { householdId }, body: { correctedEventId: eventId } };
    },
  },
  ChangeApproval: {
    prepare: async (context) => ({
      path: { householdId: await household(context, 'approved') },
      body: { approvedBeds: 3, category: 'mainstream' },
    }),
  },
  StartPlacement: {
    prepare: async (context) => ({ path: { householdId: await household(context, 'approved') }, body: { placementType: 'time_limited' } }),
  },
  EndPlacement: {
    prepare: async (context) => {
      const householdId = await household(context, 'approved', (id) => [
        anEvent('PlacementStarted', on('2019-08-05'), { agencyId: context.agencyId, householdId: id, placementId: 'child-1' }),
      ]);
      return { path: { householdId, placementId: 'child-1' }, body: {} };
    },
  },
  StartHold: {
    prepare: async (context) => ({ path: { householdId: await household(context, 'approved') }, body: { reason: 'carer_break', beds: 1 } }),
  },
  EndHold: {
    prepare: async (context) => {
      const householdId = await household(context, 'approved', (id) => [
        anEvent('HoldStarted', on('2019-08-10'), { agencyId: context.agencyId, householdId: id, holdId: 'hold-1', reason: 'carer_health' }),
      ]);
      return { path: { householdId, holdId: 'hold-1' }, body: {} };
    },
  },
  FlagResignationRisk: {
    prepare: async (context) => ({
      path: { householdId: await household(context, 'approved') },
      body: { reason: 'moved_area', likelihood: 0.5, note: 'moving away next year' },
    }),
  },
  ClearResignationRisk: {
    prepare: async (context) => ({
      path: {
        householdId: await household(context, 'approved', (id) => [
          anEvent('ResignationRiskFlagged', on('2019-09-01'), { agencyId: context.agencyId, householdId: id, reason: 'health' }),
        ]),
      },
    }),
  },
  RecordResignation: {
    prepare: async (context) => ({
      path: { householdId: await household(context, 'approved') },
      body: { reason: 'retirement', initiatedBy: 'carer' },
    }),
  },
  RecordChildrenInCare: { prepare: async () => ({ body: { childrenInCare: 769, fosteredInHouse: 272, fosteredAgency: 180 } }) },
  GetAgencySettings: {
    prepare: async (context) => {
      await seedAgency(context);
      return {};
    },
    footprint: (answer) => answer.history.filter((change: { changedBy?: string }) => change.changedBy === SEED_CHANGED_BY).length,
  },
  ChangeAgencySettings: { prepare: async () => ({ body: { attritionRate: 0.12, targetInHouseShare: 0.65, firstResponseWorkingDays: 2 } }) },
  EraseContact: { prepare: async (context) => ({ path: { householdId: await household(context, 'enquired') } }) },
  FindHouseholds: {
    prepare: async (context) => {
      const reference = unique('FIX').toUpperCase();
      await context.record(
        anEvent('EnquiryReceived', on('2019-06-03'), {
          agencyId: context.agencyId,
          householdId: unique('household'),
          channel: 'website',
          reference,
        }),
      );
      return { query: { q: reference } };
    },
    footprint: (answer) => answer.households.length,
  },
  // The households prepared for the other routes are open today: the caseload lists them (another
  // agency's list holds only the enquiries logged there over the API, with server-made ids).
  Caseload: {
    prepare: async (context) => {
      await household(context, 'enquired');
      return { query: {} };
    },
    footprint: (answer) => answer.households.filter((h: { householdId: string }) => h.householdId.startsWith('household-')).length,
  },
  CaseloadCounts: metric({ on: '2019-09-30' }, (answer) => answer.enquiries),
  // The hub's own seed enquiry (a hub is seeded as any agency is), read as the hub's manager or its region.
  HubFigures: { ...metric({ from: '2019-06-01', to: '2019-09-30' }, (answer) => answer.enquiries), hubOnly: true },
  Timeliness: metric({ from: '2019-06-01', to: '2019-09-30' }, (answer) => answer.firstResponse.households + answer.approval.households),
  GetHousehold: { prepare: async (context) => ({ path: { householdId: await household(context, 'visited') } }) },
  SubjectAccess: { prepare: async (context) => ({ path: { householdId: await household(context, 'approved') } }) },
  // An entry of the agency's own audit, dated 2019 (as the other records): the answer shows it to the agency alone.
  Audit: {
    prepare: async (context) => {
      await appendAudit({
        at: on('2019-06-03'),
        sub: AUDIT_FIXTURE_SUB,
        agencyId: context.agencyId,
        action: 'viewed',
        householdIds: ['h-audited'],
      });
      return { query: { from: '2019-06-01', to: '2019-06-30' } };
    },
    footprint: (answer) => answer.entries.filter((entry: { sub: string }) => entry.sub === AUDIT_FIXTURE_SUB).length,
  },
  CampaignConversion: metric({ from: '2019-06-01', to: '2019-09-30' }, (answer) => answer.cohort.enquiries),
  Capacity: metric({ at: '2019-09-30' }, (answer) => answer.households),
  BedsOnHold: metric({ at: '2019-09-30' }, (answer) => answer.households),
  Sufficiency: metric({ at: '2019-09-30' }, (answer) => answer.fosteredChildren ?? 0),
  ResignationForecast: metric(
    { financialYear: '2019', asOf: '2019-09-30' },
    (answer) => answer.anticipated.households + answer.baseline.households,
  ),
  AnnualReturn: metric({ financialYear: '2019' }, (answer) => answer.enquiries),
  ReferralRewards: metric({ from: '2019-01-01', to: '2019-12-31' }, (answer) => answer.rewards.length),
  // NDJSON: one line per event of the agency's own records.
  ExportEvents: metric({ from: '2019-01-01', to: '2019-12-31' }, (answer?: string) => (answer ?? '').split('\n').filter(Boolean).length),
  // A Word document: the seeded campaign's name appears in the own agency's report only.
  FosteringServiceUpdate: metric({ from: '2019-04-01', to: '2019-09-30' }, async (answer?: Buffer) =>
    answer ? (await documentText(answer)).split('Seed campaign').length - 1 : 0,
  ),
};
