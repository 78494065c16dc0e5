// `npm run demo [-- --seed 2019 --years 3 --until YYYY-MM-DD --scale 1 --persist --exit]`: the local
// stack with a region's generated history replayed through its bus, then a summary per agency.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { financialYearBounds, isCalendarDate, lastCompleteFinancialYear, todayUtc } from '../../shared/domain/calendar';
import { EVENT_SOURCE, type DomainEvent } from '../../shared/events/catalogue';
import { LocalRuntimeError } from '../../local/errors';
import { LOCAL_REGION, startLocalStack, type LocalStack } from '../../local/main';
import { DYNAMODB_JAVA_OPTIONS_ENV, localPort, QUICK_START_JAVA_OPTIONS } from '../../local/settings';
import { startLocalSchedules } from '../../local/scheduler';
import { stopOnSignals, type StopOnSignals } from '../../local/stop-on-signals';
import { signLocalToken } from '../../local/tokens';
import { councilsOfRegion, hubOfRegion, regions } from '../../shared/wiring/regions';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { buildDashboard } from '../../dashboard/build';
import { DEMO_REGION, generateRegionHistory } from './history';
import { demoDataDir } from '../local-data';
import { duration, ProgressBar } from '../progress-bar';
import { sendWebEnquiries, webEnquiryPlan } from './web-enquiries';
import type { CampaignSummary } from '../../shared/domain/campaigns';

/** Today's enquiries through the forms, when the history runs to today: most through the hub's (if
 *  the region has one), a few through each council's own. */
const WEB_ENQUIRIES_AT_HUB = 24;
const WEB_ENQUIRIES_PER_COUNCIL = 4;

/** The campaigns an agency may name, as marketing reads them. */
async function campaignsFor(apiUrl: string, agencyId: string): Promise<CampaignSummary[]> {
  const token = await signLocalToken({ groups: ['marketing'], agencyId });
  const response = await fetch(`${apiUrl}/campaigns`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /campaigns answered ${response.status}`);
  return ((await response.json()) as { campaigns: CampaignSummary[] }).campaigns;
}

/** PutEvents takes at most 10 entries; a few calls in flight keep the bus's deliveries busy. */
const BATCH_SIZE = 10;
const CALLS_IN_FLIGHT = 4;
/** Sending pauses while this many deliveries wait, so the bar shows the system's pace, not a backlog. */
const MAX_WAITING_DELIVERIES = 200;

const usage = 'usage: npm run demo -- [--seed <text>] [--years <1-30>] [--until YYYY-MM-DD] [--scale <n>] [--persist] [--exit]';

class UsageError extends Error {}

export interface DemoOptions {
  seed: string;
  years: number;
  until: string;
  scale: number;
  persist: boolean;
  exit: boolean;
}

function demoOptions(args: string[]): DemoOptions {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string', default: '2019' },
      years: { type: 'string', default: '3' },
      until: { type: 'string' },
      scale: { type: 'string', default: '1' },
      persist: { type: 'boolean', default: false },
      exit: { type: 'boolean', default: false },
    },
  });
  const years = Number(values.years);
  const scale = Number(values.scale);
  // Today by default, so that the dashboard (which opens at today) shows the history's last day.
  const until = values.until ?? todayUtc();
  if (!Number.isInteger(years) || years < 1 || years > 30) throw new UsageError('--years must be a whole number from 1 to 30');
  if (!(scale > 0 && scale <= 20)) throw new UsageError('--scale must be a number above 0, at most 20');
  if (!isCalendarDate(until)) throw new UsageError('--until must be a date, YYYY-MM-DD');
  return { seed: values.seed, years, until, scale, persist: values.persist, exit: values.exit };
}

// ---- Replaying through the bus ------------------------------------------------------------------

const int = (n: number) => n.toLocaleString('en-GB');

/** Publishes every event with PutEvents (batches of 10, a few calls in flight) and waits until the
 *  bus has delivered them all; sends no more once `stopping()` (Ctrl-C). */
async function replay(stack: LocalStack, events: readonly DomainEvent[], progress: ProgressBar, stopping: () => boolean): Promise<void> {
  const client = new EventBridgeClient({
    endpoint: stack.eventsUrl,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let next = 0;
  const publishing = async () => {
    while (next < events.length && !stopping()) {
      while (stack.bus.counts().pending > MAX_WAITING_DELIVERIES) await new Promise((r) => setTimeout(r, 5));
      // Taken after the wait: another call may have sent the last ones meanwhile.
      const batch = events.slice(next, (next += BATCH_SIZE));
      if (batch.length === 0) return;
      const answer = await client.send(
        new PutEventsCommand({
          Entries: batch.map(({ detailType, detail }) => ({
            EventBusName: EVENT_BUS_NAME,
            Source: EVENT_SOURCE,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
            Time: new Date(detail.occurredAt),
          })),
        }),
      );
      const failed = answer.Entries?.find((entry) => entry.ErrorCode);
      if (answer.FailedEntryCount || failed)
        throw new Error(`PutEvents refused ${answer.FailedEntryCount} events: ${failed?.ErrorCode} ${failed?.ErrorMessage}`);
      progress.sent(batch.length);
    }
  };
  try {
    progress.start();
    await Promise.all(Array.from({ length: CALLS_IN_FLIGHT }, publishing));
    await stack.bus.whenIdle();
  } finally {
    progress.finish();
    client.destroy();
  }
}

// ---- The summary, asked of the API --------------------------------------------------------------

const Capacity = z.object({ households: z.number(), approvedBeds: z.number(), bedsOnHold: z.number() });
const Sufficiency = z.object({ inHouseShare: z.number().nullable(), pipeline: z.object({ inAssessment: z.number() }) });
const AnnualReturn = z.object({ enquiries: z.number(), approvals: z.number(), deregistrations: z.object({ total: z.number() }) });

export interface AgencyFigures {
  agencyId: string;
  households: number;
  approvedBeds: number;
  bedsOnHold: number;
  inAssessment: number;
  inHouseShare: number | null;
  enquiries: number;
  approvals: number;
  resignations: number;
}

/** What a service manager of the agency would read: capacity and sufficiency at the date, and the
 *  annual return of the last complete financial year. */
async function agencyFigures(apiUrl: string, agencyId: string, at: string, financialYear: number): Promise<AgencyFigures> {
  const token = await signLocalToken({ groups: ['manager'], agencyId });
  const read = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return schema.parse(await response.json());
  };
  const [capacity, sufficiency, annualReturn] = await Promise.all([
    read(`/metrics/capacity?at=${at}`, Capacity),
    read(`/metrics/sufficiency?at=${at}`, Sufficiency),
    read(`/metrics/annual-return?financialYear=${financialYear}`, AnnualReturn),
  ]);
  return {
    agencyId,
    households: capacity.households,
    approvedBeds: capacity.approvedBeds,
    bedsOnHold: capacity.bedsOnHold,
    inAssessment: sufficiency.pipeline.inAssessment,
    inHouseShare: sufficiency.inHouseShare,
    enquiries: annualReturn.enquiries,
    approvals: annualReturn.approvals,
    resignations: annualReturn.deregistrations.total,
  };
}

const HubFigures = z.object({
  enquiries: z.number(),
  handedOver: z.number(),
  applications: z.number(),
  approvals: z.number(),
  byCouncil: z.record(z.string(), z.object({ handedOver: z.number() })),
});
export type HubSummary = z.infer<typeof HubFigures>;

/** What the hub's manager reads of its front door over the financial year (GET /metrics/hub). */
async function hubFigures(apiUrl: string, hubAgencyId: string, from: string, to: string): Promise<HubSummary> {
  const token = await signLocalToken({ groups: ['manager'], agencyId: hubAgencyId });
  const response = await fetch(`${apiUrl}/metrics/hub?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /metrics/hub answered ${response.status}: ${await response.text()}`);
  return HubFigures.parse(await response.json());
}

/** The hub's line of the summary. */
export const hubLine = (hubAgencyId: string, fy: number, r: HubSummary) =>
  `The hub ${hubAgencyId}, FY${fy}: ${r.enquiries} enquiries, ${r.handedOver} handed over (${Object.entries(r.byCouncil)
    .map(([council, f]) => `${council} ${f.handedOver}`)
    .join(', ')}), ${r.applications} applications, ${r.approvals} approvals (GET /metrics/hub).`;

/** The in-house share as a percentage with the API's precision (4 dp of a ratio = 2 dp of a %). */
export const sharePercent = (share: number | null) => (share === null ? 'n/a' : `${(share * 100).toFixed(2)}%`);

function summaryTable(rows: readonly AgencyFigures[], financialYear: number): string {
  const fy = `FY${financialYear}`;
  const header = [
    'agency',
    'households',
    'approved beds',
    'beds on hold',
    'in assessment',
    'in-house share',
    `enquiries ${fy}`,
    `approvals ${fy}`,
    `resignations ${fy}`,
  ];
  const body = rows.map((r) => [
    r.agencyId,
    String(r.households),
    String(r.approvedBeds),
    String(r.bedsOnHold),
    String(r.inAssessment),
    sharePercent(r.inHouseShare),
    String(r.enquiries),
    String(r.approvals),
    String(r.resignations),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

// ---- Main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    options = demoOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const signals = stopOnSignals({ log: (line) => console.error(line) });
  try {
    await runDemo(options, signals);
  } catch (error) {
    await signals.stopAll();
    // Stopping for Ctrl-C: what failed because of it is no error, and the exit is 0.
    if (signals.signal) return;
    throw error;
  }
}

async function runDemo(options: DemoOptions, signals: StopOnSignals): Promise<void> {
  const { seed, years, until, scale } = options;
  const region = regions[DEMO_REGION];
  // The councils' histories; the hub (if the region names one) starts with none of its own.
  const agencyIds = councilsOfRegion(DEMO_REGION);
  const hubAgencyId = hubOfRegion(DEMO_REGION);
  if (!region || !agencyIds) throw new Error(`shared/wiring/regions.json has no region ${DEMO_REGION}`);
  const fromYear = Number(until.slice(0, 4)) - years + 1;

  // Built here rather than by an npm pre-script, so that a Ctrl-C meanwhile is the demo's to handle.
  buildDashboard();
  const generating = performance.now();
  const events = generateRegionHistory({ seed, agencyIds, fromYear, years, scale, until, ...(hubAgencyId ? { hubAgencyId } : {}) });
  const households = new Set(events.flatMap((e) => ('householdId' in e.detail ? [e.detail.householdId] : []))).size;
  console.error(
    `Generated ${int(events.length)} events for ${int(households)} households of ${agencyIds.join(', ')} (seed ${seed}, ${fromYear}-01-01 to ${until}) in ${duration(performance.now() - generating)}.`,
  );

  // A projector's line per event would bury the progress bar (and cost a third of the time).
  process.env.POWERTOOLS_LOG_LEVEL ||= 'WARN';
  // A JVM tuned to start quickly: the replay takes half the time (local/settings.ts).
  process.env[DYNAMODB_JAVA_OPTIONS_ENV] ??= QUICK_START_JAVA_OPTIONS;
  // A fresh database each time, so that two runs give the same figures; apart from `npm start`'s.
  const dataDir = demoDataDir();
  await rm(dataDir, { recursive: true, force: true });
  let progress: ProgressBar | undefined;
  // The API's line per request is left out while the demo asks for its own summary.
  let summarising = false;
  const stack = await signals.start(() =>
    startLocalStack({
      port: localPort('port'),
      eventsPort: localPort('eventsPort'),
      dynamoDbPort: localPort('dynamoDbPort'),
      dataDir,
      inMemory: !options.persist,
      log: (line) => (summarising && line.startsWith('[api]') ? undefined : progress ? progress.log(line) : console.error(line)),
    }),
  );

  progress = new ProgressBar('Replaying', events.length, () => stack.bus.counts().delivered, 'delivered');
  await replay(stack, events, progress, () => signals.signal !== undefined);
  progress = undefined;
  // A history that runs to today ends with today's enquiries coming through the form.
  let throughTheForm = 0;
  if (until === todayUtc() && signals.signal === undefined) {
    summarising = true;
    const forms = [...(hubAgencyId ? [hubAgencyId] : []), ...agencyIds];
    const campaignsOf = Object.fromEntries(
      await Promise.all(forms.map(async (agencyId) => [agencyId, await campaignsFor(stack.apiUrl, agencyId)] as const)),
    );
    const counts = Object.fromEntries(
      forms.map((agencyId) => [agencyId, agencyId === hubAgencyId ? WEB_ENQUIRIES_AT_HUB : WEB_ENQUIRIES_PER_COUNCIL]),
    );
    throughTheForm = (await sendWebEnquiries(stack.apiUrl, webEnquiryPlan(campaignsOf, until, counts, hubAgencyId))).length;
    await stack.whenIdle();
    summarising = false;
  }
  const deadLetters = (await stack.deadLetters.list()).length;
  const financialYear = lastCompleteFinancialYear(until);
  const { start, end } = financialYearBounds(financialYear);
  const rows = [];
  summarising = true;
  for (const agencyId of agencyIds) rows.push(await agencyFigures(stack.apiUrl, agencyId, until, financialYear));
  const hub = hubAgencyId ? await hubFigures(stack.apiUrl, hubAgencyId, start, end) : undefined;
  summarising = false;
  console.log(
    [
      '',
      `The demo: ${region.name} (${agencyIds.join(', ')}), seed ${seed}, ${fromYear}-01-01 to ${until}.`,
      `Replayed ${int(events.length)} events for ${int(households)} households through the local bus; ${deadLetters === 0 ? 'none' : int(deadLetters)} dead-lettered.`,
      ...(throughTheForm > 0
        ? [
            `Today: ${int(throughTheForm)} enquiries through the forms (${hubAgencyId ? `most through the hub's, ${hubAgencyId}` : "the agencies'"}), many by campaigns' tracking links (acknowledgements in ${join(dataDir, 'mail')}).`,
          ]
        : []),
      '',
      `Figures at ${until} (FY${financialYear} = ${start} to ${end}), as the API answers a manager of each agency`,
      '(GET /metrics/capacity, /metrics/sufficiency?at, /metrics/annual-return?financialYear):',
      '',
      summaryTable(rows, financialYear),
      '',
      ...(hub && hubAgencyId ? [hubLine(hubAgencyId, financialYear, hub), ''] : []),
    ].join('\n'),
  );
  if (options.exit) {
    await signals.stopAll();
    return;
  }
  await signals.start(() => startLocalSchedules({ log: (line) => console.error(line) }));
  console.log(
    [
      `Dashboard:     ${stack.apiUrl}/   (sign in with any role as ${[...agencyIds, ...(hubAgencyId ? [hubAgencyId] : [])].join(', ')}, or as the regional reader of ${DEMO_REGION}; the history ends ${until})`,
      `A token:       npm run token -- --group manager --agency ${agencyIds[0]}`,
      `Event bus:     ${stack.eventsUrl}   (PutEvents, bus "${EVENT_BUS_NAME}")`,
      `The same run:  npm run demo -- --seed ${seed} --years ${years} --until ${until}${scale === 1 ? '' : ` --scale ${scale}`}`,
      options.persist
        ? `The data:      kept in ${join(dataDir, 'dynamodb')}; DATA_DIR=${dataDir} npm start opens it again`
        : 'The data:      in memory, gone at Ctrl-C (--persist keeps it on disk, at twice the replay time)',
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof LocalRuntimeError ? `Cannot start: ${error.message}` : error);
    process.exit(1);
  });
}
