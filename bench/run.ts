// `npm run bench`: ingest, queries, cold start and memory, measured against the local stack, written
// to bench/results.md and printed. Targets are reported, not enforced: a missed one is a finding.
//   npm run bench -- --quick   (a quick run to iterate with: fewer events, households, calls, a 5-year carer)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../shared/wiring/environment';
import { householdDetailTypes, type DomainEvent, type HouseholdEvent } from '../shared/events/catalogue';
import { readHouseholdHistory } from '../shared/store/households';
import { indexShards } from '../shared/store/tables';
import { lambdaEntries, measureColdStarts, type BundleResult } from './cold-start';
import { measureFloor, prepareFloor, type FloorResult } from './floor';
import type { DynamoDbCounts } from './dynamodb-counter';
import { generateRegionHistory } from '../tools/demo/history';
import { endOfDay } from '../shared/domain/calendar';
import {
  approvedCarersProfile,
  foldHistory,
  indexSpread,
  seedHistory,
  type ApprovedCarersProfile,
  type FoldedHousehold,
  type IndexSpread,
} from './history';
import { cpuDuring, runIngest, type CpuUse, type IngestResult } from './ingest';
import { metricCases, runQueries, summarizeQuery, type QuerySummary } from './queries';
import { fixed, int, mib, ms, table, targetsTable, type Cell, type Target } from './report';
import { STREAM_READER_ENTRY } from './worker-protocol';
import { startRuntimeWorker, type RuntimeWorker } from './worker-client';
import { longServingCarer, runLongCarer, type LongCarerResult } from './long-carer';
import { LOCAL_EXTRA_REGIONS_ENV } from '../shared/wiring/environment';

const repositoryRoot = resolve(__dirname, '..');
/** The local bus runs this many deliveries at once (its default, local/event-bus.ts). */
const BUS_CONCURRENCY = 8;
const KB = 1024;

const TARGETS = {
  ingestOverFloor: 1.5,
  projectorRequestsPerEvent: 2,
  conflictRetries: 0,
  carerLastOverFirst: 1.2,
  carerLargestItemBytes: 64 * KB,
  historyRatio: 1.2,
  hubOverAgency: 2,
  bundleBytes: 250 * KB,
  /** The committee report's bundle (it writes a Word document). */
  reportBundleBytes: 600 * KB,
};
const REPORT_ENTRY = 'api/fostering-service-update';

/** On-demand request units, US$ per million: AWS's published price for US East (N. Virginia) since
 *  1 November 2024. Europe (London), where a UK service would run, has prices of its own. */
const PRICE = {
  region: 'US East (N. Virginia)',
  writePerMillion: 0.625,
  readPerMillion: 0.125,
  source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
};

const { values: parsedArgs } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    events: { type: 'string' },
    households: { type: 'string' },
    'query-runs': { type: 'string' },
    warmup: { type: 'string' },
    'import-runs': { type: 'string' },
    'carer-years': { type: 'string' },
    'hub-agencies': { type: 'string', default: '10' },
    'in-flight': { type: 'string', default: String(2 * BUS_CONCURRENCY) },
    seed: { type: 'string', default: '2019' },
    out: { type: 'string', default: 'bench/results.md' },
    only: { type: 'string' },
  },
});
/** The full run's sizes, and --quick's: each may still be set on its own. */
const DEFAULTS = parsedArgs.quick
  ? { events: '2000', households: '3000', 'query-runs': '20', warmup: '2', 'import-runs': '3', 'carer-years': '5' }
  : { events: '20000', households: '30000', 'query-runs': '100', warmup: '5', 'import-runs': '10', 'carer-years': '20' };
const args = { ...DEFAULTS, ...Object.fromEntries(Object.entries(parsedArgs).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS &
  typeof parsedArgs;
const option = (name: keyof typeof DEFAULTS | 'in-flight' | 'seed' | 'hub-agencies', min = 1) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
};
const options = {
  events: option('events'),
  households: option('households'),
  queryRuns: option('query-runs'),
  warmup: option('warmup', 0),
  importRuns: option('import-runs'),
  inFlight: option('in-flight'),
  seed: option('seed', 0),
  carerYears: option('carer-years'),
  hubAgencies: option('hub-agencies'),
  quick: args.quick === true,
  out: resolve(repositoryRoot, args.out!),
  sections: new Set((args.only ?? 'ingest,carer,queries,cold-start').split(',')),
};

const log = (line: string) => console.error(line);

// ---- Histories from the demo's generator ----

const INGEST_REGION = ['bench-east', 'bench-north', 'bench-south'];
const LAST_YEAR = 2024;
/** The day every query asks about: the end of the histories. */
const QUERY_AT = `${LAST_YEAR}-12-31`;

const isHouseholdEvent = (e: DomainEvent) => (householdDetailTypes as readonly string[]).includes(e.detailType);
const householdsOf = (events: readonly DomainEvent[]) =>
  new Set(events.filter(isHouseholdEvent).map((e) => `${e.detail.agencyId}#${(e.detail as { householdId: string }).householdId}`)).size;

/** The first `count` events of a region's history, in time order. */
function ingestEvents(count: number, agencyIds = INGEST_REGION): DomainEvent[] {
  for (let years = 1; ; years *= 2) {
    const events = generateRegionHistory({ seed: options.seed, agencyIds, fromYear: LAST_YEAR - years + 1, years });
    if (events.length >= count) return events.slice(0, count);
    if (years >= 64) throw new Error(`the generator gave ${events.length} events over ${years} years, fewer than ${count}`);
  }
}

/** One agency's history over `years` ending with LAST_YEAR (it opens with the carers and enquiries of a service going live). */
function queryHistory(agencyId: string, years: number, scale: number): DomainEvent[] {
  return generateRegionHistory({ seed: options.seed, agencyIds: [agencyId], fromYear: LAST_YEAR - years + 1, years, scale });
}

/** The scale at which 10 years hold at least `households` households, and that history. */
function tenYearHistory(agencyId: string, households: number): { scale: number; events: DomainEvent[] } {
  let scale = households / householdsOf(queryHistory(agencyId, 10, 1));
  for (;;) {
    const events = queryHistory(agencyId, 10, scale);
    const got = householdsOf(events);
    if (got >= households) return { scale, events };
    scale *= (households / got) * 1.01;
  }
}

// ---- Sections ----

interface IngestSection {
  ingest: IngestResult;
  floor: FloorResult;
  floorCpu: CpuUse;
  householdEvents: number;
  referralEvents: number;
  warmupEvents: number;
  stateCheck: { households: number; identical: number };
}

/** The floor's households: the ingest's, in agencies of their own (same-length names, so the items are the same size). */
const floorAgency = (agencyId: string) => agencyId.replace(/^bench-/, 'floor-');
const movedToFloor = (h: FoldedHousehold) => {
  const agencyId = floorAgency(h.agencyId);
  return {
    state: { ...h.state, agencyId },
    events: h.events.map((e) => ({ ...e, detail: { ...e.detail, agencyId } }) as HouseholdEvent),
  };
};

async function ingestSection(worker: RuntimeWorker): Promise<IngestSection> {
  const events = ingestEvents(options.events);
  const householdEvents = events.filter(isHouseholdEvent).length;
  const referralEvents = events.filter((e) => e.detailType === 'EnquiryReferredOn').length;
  // Untimed, in agencies of their own: the JVM and Node compile their hot paths before the timed run
  // (the floor, measured after it, runs warm too).
  const warmup = ingestEvents(Math.min(2000, Math.ceil(options.events / 10)), ['bench-warmup']);
  log(`ingest warm-up: ${warmup.length} events...`);
  await runIngest(worker, warmup, options.inFlight);
  log(`ingest: ${events.length} events (${householdEvents} household events) through the bus, ≤ ${options.inFlight} unsettled...`);
  const ingest = await runIngest(worker, events, options.inFlight);
  log(`  ${fixed(ingest.eventsPerSecond)} events/s, p50 ${ms(ingest.report.latency.p50)} ms, p99 ${ms(ingest.report.latency.p99)} ms`);

  // The query histories are seeded from folded states instead of the bus: check that the fold gives
  // exactly what the projectors wrote for these events.
  const folded = foldHistory(events);
  let identical = 0;
  // An enquiry from another system gets its reference when it is stored (a counter the fold does not
  // draw): the check compares everything but references.
  const withoutReferences = (value: unknown) =>
    JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'reference' ? undefined : v)));
  for (const h of folded.households) {
    // The whole record: the state item with its year items merged back.
    const stored = (await readHouseholdHistory(h.agencyId, h.householdId)).whole;
    if (isDeepStrictEqual(withoutReferences(stored), withoutReferences(h.state))) identical += 1;
  }
  log(`  seeded-state check: ${identical}/${folded.households.length} households identical to the projected ones`);

  log(`floor: ${events.length} reads and transactions of an event item and a state item, ${BUS_CONCURRENCY} in flight...`);
  const prepared = await prepareFloor(worker.dynamoDbEndpoint, folded.households.map(movedToFloor));
  // The runtime's stream reader has read the floor's stored state items before the timed writes, and their own records after.
  await worker.request({ type: 'caught-up' }, 'caught-up');
  const { result: floor, cpu: floorCpu } = await cpuDuring(worker, () => measureFloor(prepared, events.length, BUS_CONCURRENCY));
  await worker.request({ type: 'caught-up' }, 'caught-up');
  log(`  ${ms(floor.msPerWrite)} ms per write`);
  return {
    ingest,
    floor,
    floorCpu,
    householdEvents,
    referralEvents,
    warmupEvents: warmup.length,
    stateCheck: { households: folded.households.length, identical },
  };
}

interface QueriesSection {
  scale: number;
  histories: Array<{
    agencyId: string;
    years: number;
    events: number;
    households: number;
    itemsWritten: number;
    /** Events dated in the last year, the one the questions ask about. */
    lastYearEvents: number;
    approvedCarers: ApprovedCarersProfile;
  }>;
  /** The 10-year history's index entries, shard by shard. */
  spread: IndexSpread[];
  hub: { regionId: string; agencyIds: string[]; scale: number; events: number; households: number };
  results: QuerySummary[];
  skipped: string[];
}

/** The regional hub the bench reads as its regional reader: a region of its own (the demo's stays as it is). */
const HUB_REGION = 'bench-hub';
const hubAgencyIds = () => Array.from({ length: options.hubAgencies }, (_, i) => `bench-hub-${String(i + 1).padStart(2, '0')}`);
/** The ingest's agencies form a region too, so that their referrals to each other are valid events. */
const INGEST_REGION_ID = 'bench-ingest';
/** Given to the runtime worker, which reads its regions as it starts (shared/wiring/regions.ts). */
function benchRegions(): string {
  return JSON.stringify({
    [HUB_REGION]: { name: "The benchmark's regional hub", agencyIds: hubAgencyIds() },
    [INGEST_REGION_ID]: { name: "The benchmark's ingest region", agencyIds: INGEST_REGION },
  });
}

// ---- The long-serving carer ----

const CARER_AGENCY = 'bench-carer';

async function carerSection(worker: RuntimeWorker): Promise<LongCarerResult> {
  const events = longServingCarer(CARER_AGENCY, `carer-${options.carerYears}y`, LAST_YEAR - options.carerYears + 1, LAST_YEAR);
  log(`carer: a short-breaks carer of ${options.carerYears} years, ${events.length} events in order through the bus, a tenth at a time...`);
  const result = await runLongCarer(worker, events, options.carerYears);
  log(
    `  ${result.tenthsMsPerEvent.map((t) => ms(t)).join(' / ')} ms per event by tenth; largest item ${int(result.largestItem.bytes)} bytes (${result.largestItem.sk})`,
  );
  return result;
}

/** The histories compared: 10 years against 2, the shortest that holds every window a query asks
 *  about (campaign conversion's previous year, the forecast's two years of outcomes). */
const HISTORY_YEARS = [2, 10] as const;

async function queriesSection(worker: RuntimeWorker): Promise<QueriesSection> {
  const ten = tenYearHistory('bench-10y', options.households);
  const histories = [];
  for (const years of HISTORY_YEARS) {
    const agencyId = `bench-${years}y`;
    const events = years === 10 ? ten.events : queryHistory(agencyId, years, ten.scale);
    const households = householdsOf(events);
    log(`queries: seeding ${agencyId}: ${events.length} events, ${households} households...`);
    const folded = foldHistory(events);
    const itemsWritten = await seedHistory(folded);
    const approvedCarers = approvedCarersProfile(folded, endOfDay(QUERY_AT));
    const lastYearEvents = events.filter((e) => e.detail.occurredAt.startsWith(String(LAST_YEAR))).length;
    histories.push({ agencyId, years, events: events.length, households, itemsWritten, lastYearEvents, approvedCarers });
  }
  const spread = await indexSpread('bench-10y');
  // The hub: ten agencies over the same ten years, together about the size of the one agency above.
  const agencyIds = hubAgencyIds();
  const hubScale = ten.scale / agencyIds.length;
  const hubEvents = generateRegionHistory({ seed: options.seed, agencyIds, fromYear: LAST_YEAR - 9, years: 10, scale: hubScale });
  const hub = { regionId: HUB_REGION, agencyIds, scale: hubScale, events: hubEvents.length, households: householdsOf(hubEvents) };
  log(`queries: seeding the hub ${HUB_REGION} (${agencyIds.length} agencies): ${hub.events} events, ${hub.households} households...`);
  await seedHistory(foldHistory(hubEvents));
  // The conversion counts are kept from the table's stream, as the runtime reads it: every seeded
  // state item has moved its agency's day counts before a question is asked.
  const countsStarted = performance.now();
  await worker.request({ type: 'caught-up' }, 'caught-up');
  log(`queries: the conversion counts caught up with the seeded states in ${ms(performance.now() - countsStarted)} ms`);

  const { cases, skipped } = metricCases(QUERY_AT);
  log(`queries: ${cases.length} endpoints × ${histories.length + 1} readers × ${options.queryRuns} runs (+${options.warmup} warm-up)...`);
  const readers = [...histories.map((h) => ({ agencyId: h.agencyId })), { regionId: HUB_REGION }];
  const samples = await runQueries(worker, readers, cases, options.queryRuns, options.warmup);
  return { scale: ten.scale, histories, spread, hub, results: samples.map(summarizeQuery), skipped };
}

// ---- Results ----

function machine() {
  let commit = 'unknown';
  let uncommitted = false;
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repositoryRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    commit = git('rev-parse', 'HEAD').trim();
    // The figures are of the tree as it was, which may hold changes not committed yet.
    uncommitted = git('status', '--porcelain', '--', '.', `:!${relative(repositoryRoot, options.out)}`).trim() !== '';
  } catch {
    /* not a git checkout */
  }
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    totalMemBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit,
    uncommitted,
    startedMs: performance.now(),
    date: new Date().toISOString(),
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

/** All CPU (runtime, DynamoDB Local, client) per event over the same per floor write. */
function cpuRatio(s: IngestSection): number | undefined {
  if (s.ingest.cpu.dynamoDbLocalMs === undefined || s.floorCpu.dynamoDbLocalMs === undefined) return undefined;
  const perEvent = (s.ingest.cpu.runtimeMs + s.ingest.cpu.dynamoDbLocalMs + s.ingest.cpu.publisherMs) / s.ingest.events;
  const perWrite = (s.floorCpu.runtimeMs + s.floorCpu.dynamoDbLocalMs + s.floorCpu.publisherMs) / s.floor.writes;
  return perEvent / perWrite;
}

const perEventOrUndefined = (total: number | undefined, n: number) => (total === undefined ? undefined : total / n);

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** A histogram's entries, most frequent first, as `key: n (share)`. */
function topOf(histogram: Record<string, number>, limit: number, label = (k: string) => k): string {
  const total = Object.values(histogram).reduce((a, b) => a + b, 0);
  const sorted = Object.entries(histogram).sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, limit).map(([k, n]) => `${label(k)}: ${int(n)} (${share(n / total)})`);
  const rest = sorted.slice(limit).reduce((sum, [, n]) => sum + n, 0);
  return [...shown, ...(rest ? [`other: ${int(rest)} (${share(rest / total)})`] : [])].join('; ');
}

/** The most frequent key of a histogram. */
const modeOf = (histogram: Record<string, number>) => Object.entries(histogram).sort((a, b) => b[1] - a[1])[0];

const million = (unitsPerEvent: number, pricePerMillion: number) => `$${fixed(unitsPerEvent * pricePerMillion, 2)}`;

/** The section on write units by AWS's published rules, from the items the run wrote. */
function awsWriteUnitsSection(s: IngestSection): string[] {
  const { report } = s.ingest;
  const projector = report.byEntry['projectors/household'];
  const reader = report.byEntry[STREAM_READER_ENTRY];
  if (!projector) return [];
  const n = s.householdEvents;
  const per = (x: number) => fixed(x / n, 2);
  const kindRows = (c: DynamoDbCounts, over: number): Cell[][] =>
    Object.entries(c.aws.byKind)
      .sort((a, b) => b[1].units - a[1].units)
      .map(([kind, w]) => [
        kind,
        int(w.writes),
        fixed(w.writes / over, 3),
        int(w.bytes / w.writes),
        fixed(w.units / w.writes, 2),
        fixed(w.units / over, 2),
      ]);
  const projectorUnits = projector.aws.units / n;
  const readerUnits = (reader?.aws.units ?? 0) / n;
  const allUnits = report.total.aws.units / s.ingest.events;
  const floorUnits = s.floor.counts.aws.units / s.floor.writes;
  const shapes = report.invocations['projectors/household'];
  const typical = shapes && modeOf(shapes.byAwsUnits);
  const event = projector.aws.byKind['HOUSEHOLD EVENT'];
  const state = projector.aws.byKind['HOUSEHOLD STATE'];
  const readUnits = projector.readUnits / n;
  return [
    '## 2. Write units by AWS’s published rules',
    '',
    "Not DynamoDB Local's accounting: the items each write request of the run sent, priced by the rules AWS publishes. A write costs 1 write request unit per KB (1,024 bytes) of the item, rounded up, counting the larger of the item before and after; a transactional write 2 × that for each item in the transaction; a conditional write that fails still pays for its items. Each index entry a write puts or deletes costs 1 more (the indexes project keys only, so an entry is under 1 KB), an entry whose key moves 2 (the old entry deleted, the new one put), an index whose keys the write leaves as they were nothing. Item sizes as DynamoDB counts them: each attribute's name and value (bench/dynamodb-counter.ts); what an item was before the write is the counter's memory of the run (what was written or read whole), so an item it never saw counts as new.",
    '',
    'An event in order (shared/store/households.ts appendHouseholdEvent) is one transaction of its own item and the state item:',
    '',
    '  units = 2 × ⌈event item / 1 KB⌉ + 2 × ⌈max(state item before, after) / 1 KB⌉ + index writes',
    '',
    "where the index writes are 1 for the event log's entry the event item adds, and for each household index the event's state change enters or leaves 1, moves 2. Now and then the same transaction holds year items (the spans leaving the state item: an update, 2 × ⌈its size / 1 KB⌉) or a referral reward; a referral refolds the receiving agency's copy of the household (another transaction).",
    '',
    `The household projector, ${int(n)} household events:`,
    '',
    table(
      ['item', 'writes', 'per household event', 'bytes charged, mean', 'units per write', 'units per household event'],
      [
        ...kindRows(projector, n),
        [
          'index entries (put, deleted, moved)',
          int(projector.aws.indexWrites),
          fixed(projector.aws.indexWrites / n, 3),
          undefined,
          '1',
          per(projector.aws.indexWrites),
        ],
        ['**all**', undefined, undefined, undefined, undefined, `**${per(projector.aws.units)}**`],
      ],
    ),
    '',
    `Index writes by index, per household event: ${Object.entries(projector.aws.indexWritesBy)
      .sort((a, b) => b[1] - a[1])
      .map(([index, w]) => `${index} ${per(w)}`)
      .join(', ')}.`,
    '',
    table(
      ['figure', 'value'],
      [
        [
          'the typical event (the most frequent cost of one household projector invocation)',
          typical ? `${typical[0]} units, ${share(typical[1] / n)} of the events` : undefined,
        ],
        ['units per household event by invocation cost', shapes ? topOf(shapes.byAwsUnits, 6, (k) => `${k} units`) : undefined],
        [
          'event item / state item, mean size',
          event && state ? `${int(event.bytes / event.writes)} / ${int(state.bytes / state.writes)} bytes` : undefined,
        ],
        [
          "the floor's write (the same transaction, no index key moved), per write",
          `${fixed(floorUnits, 2)} units (${Object.entries(s.floor.counts.aws.byKind)
            .map(([kind, w]) => `${kind} ${fixed(w.units / s.floor.writes, 2)}`)
            .join(', ')}, index ${fixed(s.floor.counts.aws.indexWrites / s.floor.writes, 2)})`,
        ],
        ['household projector, per household event', `${fixed(projectorUnits, 2)} units`],
        [
          "the conversion counts' keeper (the stream's second reader, a Lambda of its own in AWS), per household event",
          reader
            ? `${fixed(readerUnits, 2)} units (${Object.entries(reader.aws.byKind)
                .map(
                  ([kind, w]) =>
                    `${kind}: ${fixed(w.writes / n, 2)} updates, ${int(w.bytes / w.writes)} bytes, ${fixed(w.units / w.writes, 2)} units each`,
                )
                .join('; ')})`
            : '0',
        ],
        ['every handler and the keeper, per event of the ingest (agency events too)', `${fixed(allUnits, 2)} units`],
        [
          'read units per household event, household projector (its consistent GetItem: 1 per 4 KB, as AWS and DynamoDB Local both count it)',
          fixed(readUnits, 2),
        ],
      ],
    ),
    '',
    `A million events at on-demand prices: US$${PRICE.writePerMillion} per million write request units and US$${PRICE.readPerMillion} per million read request units, the prices AWS publishes for ${PRICE.region} (${PRICE.source}) since its on-demand prices were halved on 1 November 2024. Europe (London), where a UK service would run, is priced on its own and somewhat higher: **the London price is to be checked** on that page before this is quoted.`,
    '',
    table(
      ['a million …', 'write units', 'writes', 'reads', 'together'],
      [
        [
          'household events, household projector',
          `${fixed(projectorUnits, 2)} million`,
          million(projectorUnits, PRICE.writePerMillion),
          million(readUnits, PRICE.readPerMillion),
          `$${fixed(projectorUnits * PRICE.writePerMillion + readUnits * PRICE.readPerMillion, 2)}`,
        ],
        [
          'household events, with the conversion counts kept',
          `${fixed(projectorUnits + readerUnits, 2)} million`,
          million(projectorUnits + readerUnits, PRICE.writePerMillion),
          million(readUnits, PRICE.readPerMillion),
          `$${fixed((projectorUnits + readerUnits) * PRICE.writePerMillion + readUnits * PRICE.readPerMillion, 2)}`,
        ],
        [
          "floor writes (this design's least: one event in order moving no index key)",
          `${fixed(floorUnits, 2)} million`,
          million(floorUnits, PRICE.writePerMillion),
          million(s.floor.counts.readUnits / s.floor.writes, PRICE.readPerMillion),
          `$${fixed(floorUnits * PRICE.writePerMillion + (s.floor.counts.readUnits / s.floor.writes) * PRICE.readPerMillion, 2)}`,
        ],
      ],
    ),
    '',
  ];
}

function render(
  m: ReturnType<typeof machine>,
  ingest?: IngestSection,
  carer?: LongCarerResult,
  queries?: QueriesSection,
  bundles?: BundleResult[],
): string {
  const parts: string[] = [];
  const memory: string[] = [];
  const targets: Target[] = [];
  const findings: string[] = [];

  if (ingest) {
    const { report } = ingest.ingest;
    const perEvent = (n: number) => n / ingest.ingest.events;
    const ingestMsPerEvent = (ingest.ingest.seconds * 1000) / ingest.ingest.events;
    const costRatio = ratio(ingestMsPerEvent, ingest.floor.msPerWrite)!;
    const projector = report.byEntry['projectors/household'];
    const projectorRequests = projector ? projector.requests / ingest.householdEvents : undefined;
    // With one household's events delivered one at a time, a refused write is a conflict retry.
    const conflictRetries = projector?.failed;
    const shapes = report.invocations['projectors/household'];
    targets.push(
      {
        name: 'ingest time per event / floor time per write (GetItem + TransactWriteItems of the event item and the state item)',
        limit: `≤ ${TARGETS.ingestOverFloor}`,
        measured: `${fixed(costRatio, 2)} (${ms(ingestMsPerEvent)} / ${ms(ingest.floor.msPerWrite)} ms)`,
        met: costRatio <= TARGETS.ingestOverFloor,
      },
      {
        name: 'DynamoDB requests per household event in order, household projector',
        limit: `≤ ${TARGETS.projectorRequestsPerEvent}`,
        measured: fixed(projectorRequests, 3) ?? '–',
        met: projectorRequests === undefined ? undefined : projectorRequests <= TARGETS.projectorRequestsPerEvent,
      },
      {
        name: 'conflict retries (household projector writes refused)',
        limit: `${TARGETS.conflictRetries}`,
        measured: int(conflictRetries) ?? '–',
        met: conflictRetries === undefined ? undefined : conflictRetries <= TARGETS.conflictRetries,
      },
    );
    parts.push(
      '## 1. Ingest',
      '',
      `${int(ingest.ingest.events)} events from the demo's generator (${int(ingest.householdEvents)} of them household events, each delivered in order: the bus routes a household's events one at a time), published with the AWS SDK's PutEvents to the local bus in batches of up to 10, keeping at most ${ingest.ingest.inFlight} events not yet visible (the bus runs ${BUS_CONCURRENCY} deliveries at once: each has the next event waiting, and the latency stays the system's own rather than that of a backlog the publisher piled up). Latency: from the bus accepting an event to its projector having written it (the local bus's delivery-settled hook). The floor (bench/floor.ts), in the same run on the same DynamoDB Local, after the ingest: as many writes of this design's least shape, each a consistent GetItem of a household's state item and one TransactWriteItems of an event's item and the state item, conditional as the store's are, from one SDK client into the same projections table (its indexes and stream), ${ingest.floor.inFlight} in flight (as many as the bus runs deliveries), round robin over the ingest's ${int(ingest.floor.households)} households moved to agencies of their own, each with its real state item (stored first, untimed, so no timed write moves an index key) and its real events. Both run warm: ${int(ingest.warmupEvents)} events of another agency went through the bus, untimed, first.`,
      '',
      table(
        ['figure', 'value'],
        [
          ['events', int(ingest.ingest.events)],
          ['wall time (first PutEvents → last projection visible)', `${fixed(ingest.ingest.seconds, 2)} s`],
          ['throughput', `${fixed(ingest.ingest.eventsPerSecond)} events/s`],
          ['latency p50 / p99 / max', `${ms(report.latency.p50)} / ${ms(report.latency.p99)} / ${ms(report.latency.max)} ms`],
          ['ingest time per event', `${ms(ingestMsPerEvent)} ms`],
          [
            'floor time per write',
            `${ms(ingest.floor.msPerWrite)} ms (${fixed(ingest.floor.seconds, 2)} s for ${int(ingest.floor.writes)})`,
          ],
          ['ratio ingest / floor', fixed(costRatio, 2)],
          [
            'CPU per event: runtime (Node) / DynamoDB Local / publisher',
            `${ms(ingest.ingest.cpu.runtimeMs / ingest.ingest.events)} / ${ms(perEventOrUndefined(ingest.ingest.cpu.dynamoDbLocalMs, ingest.ingest.events))} / ${ms(ingest.ingest.cpu.publisherMs / ingest.ingest.events)} ms`,
          ],
          [
            "CPU per floor write: runtime (its stream reader) / DynamoDB Local / the floor's client",
            `${ms(ingest.floorCpu.runtimeMs / ingest.floor.writes)} / ${ms(perEventOrUndefined(ingest.floorCpu.dynamoDbLocalMs, ingest.floor.writes))} / ${ms(ingest.floorCpu.publisherMs / ingest.floor.writes)} ms`,
          ],
          ['ratio of CPU per event to CPU per floor write (less sensitive to other load)', fixed(cpuRatio(ingest), 2)],
          ['DynamoDB requests per event (every handler and the stream reader)', fixed(perEvent(report.total.requests), 2)],
          ["DynamoDB requests per household event, household projector (the target's measure)", fixed(projectorRequests, 3)],
          ['household projector invocations by the requests each sent', shapes ? topOf(shapes.byRequests, 4) : undefined],
          [
            'write units per household event by AWS’s rules, household projector / with the conversion counts kept (section 2)',
            projector
              ? `${fixed(projector.aws.units / ingest.householdEvents, 2)} / ${fixed((projector.aws.units + (report.byEntry[STREAM_READER_ENTRY]?.aws.units ?? 0)) / ingest.householdEvents, 2)}`
              : undefined,
          ],
          ['DynamoDB read units per event (as DynamoDB Local reports them)', fixed(perEvent(report.total.readUnits), 2)],
          ['DynamoDB items read per event', fixed(perEvent(report.total.itemsRead), 2)],
          ['requests answered with an error (conflicts, duplicates)', int(report.total.failed)],
          [
            'delivered / dead-lettered / failed attempts',
            `${int(report.bus.delivered)} / ${int(report.bus.deadLettered)} / ${int(report.bus.failed)}`,
          ],
          ['events the system emitted itself (ReferralRewardDue)', int(report.settled.system)],
          [
            'seeded-state check (fold = projection)',
            `${int(ingest.stateCheck.identical)} / ${int(ingest.stateCheck.households)} households identical`,
          ],
        ],
      ),
      '',
      'By handler (requests and write units per event the handler received):',
      '',
      table(
        ['handler', 'requests', 'by operation', 'write units (AWS’s rules)', 'read units', 'items read'],
        Object.entries(report.byEntry)
          .sort()
          .map(([entry, c]) => {
            // The stream reader gets a state item's change for each household event the projector wrote.
            const received = entry === 'projectors/household' || entry === STREAM_READER_ENTRY ? ingest.householdEvents : undefined;
            const per = (n: number) => (received ? fixed(n / received, 2) : undefined);
            return [
              entry,
              `${int(c.requests)}${received ? ` (${per(c.requests)}/event)` : ''}`,
              Object.entries(c.byOperation)
                .map(([op, n]) => `${op} ${int(n)}`)
                .join(', '),
              `${int(c.aws.units)}${received ? ` (${per(c.aws.units)}/event)` : ''}`,
              fixed(c.readUnits, 1),
              int(c.itemsRead),
            ];
          }),
      ),
      '',
      ...awsWriteUnitsSection(ingest),
    );
    memory.push(
      '## 6. Memory',
      '',
      'Peak resident set during the ingest run (the runtime runs in a process of its own, so the load generator is not in it).',
      '',
      table(
        ['process', 'peak RSS'],
        [
          ['local runtime (Node: bus, HTTP server, handlers)', mib(report.memory.runtimePeakRssBytes)],
          ['DynamoDB Local (JVM, in memory)', mib(report.memory.dynamoDbLocalPeakRssBytes)],
        ],
      ),
      '',
    );
    if (costRatio > TARGETS.ingestOverFloor) findings.push(ingestCostFinding(ingest, costRatio));
    if (projectorRequests !== undefined && projectorRequests > TARGETS.projectorRequestsPerEvent)
      findings.push(projectorRequestsFinding(ingest, projectorRequests));
    if (conflictRetries !== undefined && conflictRetries > TARGETS.conflictRetries) findings.push(conflictFinding(ingest, conflictRetries));
  }

  if (carer) {
    const largestMet = carer.largestItem.bytes <= TARGETS.carerLargestItemBytes;
    const timeMet = carer.lastOverFirst <= TARGETS.carerLastOverFirst;
    targets.push(
      {
        name: `${carer.years}-year carer: ms per event, last tenth / first tenth`,
        limit: `≤ ${TARGETS.carerLastOverFirst}`,
        measured: `${fixed(carer.lastOverFirst, 2)} (${ms(carer.tenthsMsPerEvent[0])} → ${ms(carer.tenthsMsPerEvent.at(-1))} ms)`,
        met: timeMet,
      },
      {
        name: `${carer.years}-year carer: largest item`,
        limit: `≤ ${TARGETS.carerLargestItemBytes / KB} KB`,
        measured: `${fixed(carer.largestItem.bytes / KB)} KB (${carer.largestItem.sk})`,
        met: largestMet,
      },
    );
    parts.push(
      '## 3. A carer of many years',
      '',
      `One short-breaks household of ${carer.years} years (bench/long-carer.ts): enquiry, visit, assessment and approval, then an overnight stay every Friday (a PlacementStarted and a PlacementEnded) but for a fortnight's break on hold each August: ${int(carer.events)} events, sent in event-time order through the local bus (PutEvents batches of 10), a tenth at a time, each tenth timed from its first PutEvents to its last event visible. Item sizes: every item of the household's partition afterwards, measured as DynamoDB counts them against its 400 KB limit (attribute names and values, bench/dynamodb-counter.ts).`,
      '',
      table(
        ['tenth', ...carer.tenthsMsPerEvent.map((_, i) => String(i + 1))],
        [
          ['ms per event', ...carer.tenthsMsPerEvent.map((t) => ms(t))],
          ['write units per event (AWS’s rules)', ...carer.tenthsAwsUnitsPerEvent.map((u) => fixed(u, 2))],
        ],
      ),
      '',
      table(
        ['figure', 'value'],
        [
          ['events', int(carer.events)],
          ['last tenth / first tenth (ms per event)', fixed(carer.lastOverFirst, 2)],
          ['items in the partition', int(carer.items)],
          ['largest item', `${int(carer.largestItem.bytes)} bytes (${carer.largestItem.sk})`],
          ['state item', `${int(carer.stateItemBytes)} bytes`],
          [
            'write units per event by AWS’s rules, household projector (mean of the tenths)',
            fixed(carer.tenthsAwsUnitsPerEvent.reduce((a, b) => a + b, 0) / Math.max(1, carer.tenthsAwsUnitsPerEvent.length), 2),
          ],
        ],
      ),
      '',
    );
    if (!timeMet || !largestMet) findings.push(carerFinding(carer, timeMet, largestMet));
  }

  if (queries) {
    const byYears = (years: number) => queries.histories.find((h) => h.years === years)!.agencyId;
    const result = (route: string, years: number) => queries.results.find((r) => r.route === route && r.agencyId === byYears(years))!;
    const itemRows: Cell[][] = [];
    const latencyRows: Cell[][] = [];
    const hubRows: Cell[][] = [];
    const profiles = HISTORY_YEARS.map((years) => queries.histories.find((h) => h.years === years)!.approvedCarers);
    const hubName = queries.hub.regionId;
    for (const { route, path } of queries.results.filter((r) => r.agencyId === byYears(2))) {
      const [two, ten] = [result(route, 2), result(route, 10)];
      const itemsRatio = ratio(ten.itemsRead, two.itemsRead);
      const latencyRatio = ratio(ten.p50Ms, two.p50Ms);
      const perItem = (r: QuerySummary) => (r.itemsRead ? int(r.bytesRead / r.itemsRead) : '–');
      itemRows.push([
        route,
        path.replace(/^\/metrics\//, ''),
        int(two.itemsRead),
        int(ten.itemsRead),
        fixed(itemsRatio, 2),
        `${fixed(two.readUnits, 1)} / ${fixed(ten.readUnits, 1)}`,
        `${int(two.bytesRead)} / ${int(ten.bytesRead)} (${perItem(two)} / ${perItem(ten)})`,
      ]);
      latencyRows.push([route, `${ms(two.p50Ms)} / ${ms(two.p99Ms)}`, `${ms(ten.p50Ms)} / ${ms(ten.p99Ms)}`, fixed(latencyRatio, 2)]);
      const itemsMet = itemsRatio === undefined ? ten.itemsRead === 0 : itemsRatio <= TARGETS.historyRatio;
      targets.push(
        {
          name: `${route}: items read 10 y / 2 y`,
          limit: `≤ ${TARGETS.historyRatio}`,
          measured: `${fixed(itemsRatio, 2) ?? '–'} (${int(two.itemsRead)} → ${int(ten.itemsRead)})`,
          met: itemsMet,
        },
        {
          name: `${route}: p50 latency 10 y / 2 y`,
          limit: `≤ ${TARGETS.historyRatio}`,
          measured: `${fixed(latencyRatio, 2) ?? '–'} (${ms(two.p50Ms)} → ${ms(ten.p50Ms)} ms)`,
          met: latencyRatio === undefined ? undefined : latencyRatio <= TARGETS.historyRatio,
        },
      );
      if (!itemsMet || (latencyRatio ?? 0) > TARGETS.historyRatio)
        findings.push(
          queryFinding(
            two,
            ten,
            profiles,
            HISTORY_YEARS.map((years) => queries.histories.find((h) => h.years === years)!.lastYearEvents),
          ),
        );
      const hub = queries.results.find((r) => r.route === route && r.agencyId === hubName);
      if (!hub) continue;
      const hubRatio = ratio(hub.p50Ms, ten.p50Ms);
      hubRows.push([
        route,
        int(ten.itemsRead),
        int(hub.itemsRead),
        `${ms(ten.p50Ms)} / ${ms(ten.p99Ms)}`,
        `${ms(hub.p50Ms)} / ${ms(hub.p99Ms)}`,
        fixed(hubRatio, 2),
      ]);
    }
    // The hub's targets after the histories', as the table reads.
    for (const [route, , , , , hubRatio] of hubRows) {
      const [ten, hub] = [result(String(route), 10), queries.results.find((r) => r.route === route && r.agencyId === hubName)!];
      const r = ratio(hub.p50Ms, ten.p50Ms);
      targets.push({
        name: `${route}: hub p50 / one agency's p50`,
        limit: `≤ ${TARGETS.hubOverAgency}`,
        measured: `${hubRatio ?? '–'} (${ms(ten.p50Ms)} → ${ms(hub.p50Ms)} ms)`,
        met: r === undefined ? undefined : r <= TARGETS.hubOverAgency,
      });
      if ((r ?? 0) > TARGETS.hubOverAgency) findings.push(hubFinding(ten, hub, queries.hub.agencyIds.length));
    }
    const described = queries.histories
      .map((h) => `\`${h.agencyId}\` ${h.years} years: ${int(h.households)} households, ${int(h.events)} events`)
      .join('; ');
    parts.push(
      '## 4. Queries',
      '',
      `One agency's history from the demo's generator at scale ${fixed(queries.scale, 2)} (the scale at which 10 years hold at least ${int(options.households)} households), over 2 and 10 years ending ${QUERY_AT}: ${described}. Each opens with the carers and open enquiries of a service going live, as the generator does. 2 years is the shortest history that holds every window a question reads (campaign conversion's previous year, the forecast's two years of outcomes), so 10 y / 2 y is growth with history alone. Each history was folded with the projector's own fold and written as the items the projector writes (BatchWrite), not replayed through the bus; the ingest section checks that fold against what the bus's projectors wrote. Every metric endpoint is asked the same question (same dates) of each, over HTTP with a manager's token: ${options.queryRuns} timed calls each after ${options.warmup} warm-up calls, interleaved across endpoints and histories. Items read: what DynamoDB read for the call (ScannedCount, as ReadTally counts it), counted in the runtime; read units as DynamoDB Local reports them (4 KB each, so they grow with the items' size too); bytes: the items DynamoDB answered, as JSON (items below 4 KB grow without a read unit more), and per item read.`,
      '',
      table(
        ['endpoint', 'question', 'items 2 y', 'items 10 y', '10 y / 2 y', 'read units 2 y / 10 y', 'bytes 2 y / 10 y (per item)'],
        itemRows,
      ),
      '',
      `The state items of the carers approved at ${QUERY_AT} (the carers capacity, beds on hold, sufficiency and the forecast read), whole as the table holds them (each figure reads a part: capacity its carer record, the forecast that, the risk flags and the enquiry's reference, shared/domain/household.ts), with 2 / 10 years: ${profiles.map((p) => int(p.carers)).join(' / ')} carers, ${profiles.map((p) => int(p.meanBytes)).join(' / ')} bytes on average, of which their placements and holds (a year at most) ${profiles.map((p) => int(p.meanSpanBytes)).join(' / ')}, their approval terms and resignation-risk flags ${profiles.map((p) => int(p.meanTermAndFlagBytes)).join(' / ')}, and the rest ${profiles.map((p) => int(restBytes(p))).join(' / ')}; ${profiles.map(recruitedShare).join(' / ')} of them recruited within the history, whose state holds their recruitment (the enquiry, the stage dates and those dates' index keys), where the carers a history opens with were approved before it began.`,
      '',
      `Index partitions of the 10-year history (shared/store/tables.ts: each index's partition key is one of the agency's shards, by a hash of the household, or of the event for the event log, so that a replay, which writes in time order, does not land on one partition; ${indexShards.household} shards for a household index, ${indexShards.eventLog} for the event log): entries per index and the largest shard's share of them (an even spread: ${share(1 / indexShards.household)} and ${share(1 / indexShards.eventLog)}).`,
      '',
      table(
        ['index', 'shards', 'entries', 'largest shard', 'its share'],
        queries.spread.map((x) => [
          x.index,
          x.shards,
          int(x.entries),
          int(x.largestShard),
          x.entries === 0 ? undefined : share(x.largestShard / x.entries),
        ]),
      ),
      '',
      'Latency p50 / p99 (ms), measured at the HTTP client:',
      '',
      table(['endpoint', '2 y', '10 y', 'p50 10 y / 2 y'], latencyRows),
      '',
      `The regional hub \`${hubName}\`: ${queries.hub.agencyIds.length} agencies over the same 10 years at scale ${fixed(queries.hub.scale, 3)} each (together ${int(queries.hub.households)} households, ${int(queries.hub.events)} events: about the one agency's 10 years above, shared out; referrals and shared campaigns between them as the generator makes them), read with a regional token (the region is given to the local runtime through ${LOCAL_EXTRA_REGIONS_ENV}, so the demo's region stays as it is), against the one agency's 10 years:`,
      '',
      table(
        ['endpoint', 'items read, one agency', 'items read, hub', 'p50 / p99 one agency (ms)', 'p50 / p99 hub (ms)', 'p50 hub / agency'],
        hubRows,
      ),
      '',
      ...(queries.skipped.length
        ? [`Not measured (no question defined for them in bench/queries.ts): ${queries.skipped.join(', ')}.`, '']
        : []),
    );
  }

  if (bundles) {
    const report = bundles.find((b) => b.entry === REPORT_ENTRY);
    const others = bundles.filter((b) => b.entry !== REPORT_ENTRY);
    const largest = Math.max(...others.map((b) => b.bytes));
    const over = others.filter((b) => b.bytes > TARGETS.bundleBytes);
    targets.push(
      {
        name: `every command, query and other bundle but the committee report's (${others.length})`,
        limit: `≤ ${TARGETS.bundleBytes / KB} KB`,
        measured: `largest ${fixed(largest / KB)} KB; ${over.length} over`,
        met: over.length === 0,
      },
      {
        name: `the committee report's bundle (${REPORT_ENTRY})`,
        limit: `≤ ${TARGETS.reportBundleBytes / KB} KB`,
        measured: report ? `${fixed(report.bytes / KB)} KB` : '–',
        met: report ? report.bytes <= TARGETS.reportBundleBytes : undefined,
      },
    );
    parts.push(
      '## 5. Cold start',
      '',
      `Each Lambda entry (every route of shared/wiring/http-routes.ts and shared/wiring/event-routes.ts) bundled as NodejsFunction bundles it: esbuild with infra/fostering-function.ts's settings (minified, CJS, target node22, source maps without sources) and NodejsFunction's defaults for a Node 22 runtime (platform node, \`${'@aws-sdk/*'}\` external: the runtime provides it). Size: the minified \`index.js\` (the .map not counted; 1 KB = 1024 bytes). Import: the median of ${options.importRuns} fresh \`node\` processes, each timing \`require()\` of the bundle (wall time; its CPU time beside it, which other work on the machine disturbs less) with NODE_OPTIONS=--enable-source-maps as the stack sets it, the SDK resolved from node_modules (in Lambda: the runtime's copy). This machine runs Node ${process.version.slice(1)} on ${process.arch}; Lambda runs Node 22 on arm64, so absolute import times there differ.`,
      '',
      table(
        ['entry', 'bytes', 'KB', 'import ms (median)', 'import CPU ms', 'of the import, the SDK (ms)', 'largest parts'],
        bundles.map((b) => [
          b.entry,
          int(b.bytes),
          fixed(b.bytes / KB),
          ms(b.importMs),
          ms(b.importCpuMs),
          ms(b.sdkImportMs),
          b.byPackage
            .slice(0, 3)
            .map((p) => `${p.name} ${fixed(p.bytes / KB, 0)} KB`)
            .join(', '),
        ]),
      ),
      '',
    );
    if (over.length > 0) findings.push(bundleFinding(over, TARGETS.bundleBytes));
    if (report && report.bytes > TARGETS.reportBundleBytes) findings.push(bundleFinding([report], TARGETS.reportBundleBytes));
  }

  const header = [
    '# Benchmark results',
    '',
    `\`npm run bench${options.quick ? ' -- --quick' : ''}\` (bench/run.ts) against the local stack${options.quick ? ': **a quick run** (smaller inputs), to iterate with, not the full run' : ''}. Written ${m.date} at commit \`${m.commit}\`${m.uncommitted ? ' plus changes not yet committed' : ''}; the run took ${fixed((performance.now() - m.startedMs) / 60_000, 1)} min.`,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${m.cores} cores (${m.cpuModel})`],
        ['memory', mib(m.totalMemBytes)],
        ['Node', m.node],
        ['platform', m.platform],
        [
          'load average (1, 5, 15 min) at start / at end',
          `${m.loadAverage} / ${loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
        ],
        [
          'options',
          `--events ${options.events} --households ${options.households} --query-runs ${options.queryRuns} --warmup ${options.warmup} --import-runs ${options.importRuns} --carer-years ${options.carerYears} --in-flight ${options.inFlight} --seed ${options.seed}`,
        ],
      ],
    ),
    '',
    'The machine is shared with other work, which the load average shows; the ratios compare figures taken in the same run.',
    '',
    '## Targets',
    '',
    targetsTable(targets),
    '',
  ];
  const findingsPart = findings.length ? ['## Missed targets: why, and what would meet them', '', ...findings.flatMap((f) => [f, ''])] : [];
  return [...header, ...parts, ...memory, ...findingsPart].join('\n');
}

// ---- Findings for missed targets (their figures come from this run) ----

function ingestCostFinding(s: IngestSection, costRatio: number): string {
  const { report, cpu } = s.ingest;
  const n = s.householdEvents;
  const projector = report.byEntry['projectors/household'];
  const reader = report.byEntry[STREAM_READER_ENTRY];
  const perEvent = (x: number | undefined) => ms(perEventOrUndefined(x, s.ingest.events));
  const perWrite = (x: number | undefined) => ms(perEventOrUndefined(x, s.floor.writes));
  const others = Object.entries(report.byEntry)
    .filter(([entry]) => entry !== 'projectors/household' && entry !== STREAM_READER_ENTRY)
    .reduce((sum, [, c]) => sum + c.requests, 0);
  const floorUnits = s.floor.counts.aws.units / s.floor.writes;
  const cpuSide = (x: number | undefined, y: number | undefined) => fixed(ratio(x, y), 1) ?? '–';
  return [
    `**Ingest cost ${fixed(costRatio, 2)} × the floor** (${ms((s.ingest.seconds * 1000) / s.ingest.events)} ms per event against ${ms(s.floor.msPerWrite)} per floor write; by CPU time ${fixed(cpuRatio(s), 2) ?? '–'} ×). This machine's ${cpus().length} cores are shared by the runtime, DynamoDB Local's JVM and the load generator, so wall time follows the CPU spent.`,
    `DynamoDB Local: ${perEvent(cpu.dynamoDbLocalMs)} ms per event against ${perWrite(s.floorCpu.dynamoDbLocalMs)} ms per floor write (${cpuSide(perEventOrUndefined(cpu.dynamoDbLocalMs, s.ingest.events), perEventOrUndefined(s.floorCpu.dynamoDbLocalMs, s.floor.writes))} ×).`,
    `It answers more per event than the floor's 2 requests: ${fixed(report.total.requests / s.ingest.events, 2)} per event in all — the household projector ${fixed((projector?.requests ?? 0) / n, 2)} per household event, the conversion counts' keeper ${fixed((reader?.requests ?? 0) / n, 2)} (${Object.entries(
      reader?.byOperation ?? {},
    )
      .map(([op, x]) => `${op} ${fixed(x / n, 2)}`)
      .join(
        ', ',
      )}; a Lambda of its own in AWS, after the projection is written, so in AWS it adds to no event's latency), the other handlers ${int(others)} requests — and its writes are larger: ${fixed((projector?.aws.units ?? 0) / n, 2)} write units per household event by AWS's rules against the floor's ${fixed(floorUnits, 2)} (its events move the household indexes' keys: ${fixed((projector?.aws.indexWrites ?? 0) / n, 2)} index writes per event against the floor's ${fixed(s.floor.counts.aws.indexWrites / s.floor.writes, 2)}).`,
    `The runtime (Node): ${perEvent(cpu.runtimeMs)} ms per event — the bus (PutEvents, the pattern match, the ordered route's router, a delivery), envelope and detail validation, the fold, the two SDK requests, the bench's counter, a log line, and the stream reader keeping the counts — against ${perWrite(s.floorCpu.runtimeMs)} ms per floor write (the stream reader reading the floor's records) and ${perWrite(s.floorCpu.publisherMs)} ms of the floor's own client.`,
    `What would meet it: ${ms((s.ingest.seconds * 1000) / s.ingest.events - TARGETS.ingestOverFloor * s.floor.msPerWrite)} ms less per event here. The floor is one read and one transaction and nothing else, so the ratio is what the rest of an event's path costs on these two shared cores: the bus and the handler's own work in Node, the larger writes of the events that move index keys, and the counts kept beside them. On AWS these run on machines of their own (EventBridge, the Lambdas, DynamoDB), so the ratio there is not this one.`,
  ].join(' ');
}

function projectorRequestsFinding(s: IngestSection, perEvent: number): string {
  const c = s.ingest.report.byEntry['projectors/household']!;
  const shapes = s.ingest.report.invocations['projectors/household'];
  const inOrder = shapes?.byRequests['GetItem + TransactWriteItems'] ?? 0;
  const excess = c.requests - 2 * s.householdEvents;
  const queries = c.byOperation.Query ?? 0;
  const referenceDraws = c.byOperation.UpdateItem ?? 0;
  return `**Projector requests ${fixed(perEvent, 3)} per household event** (${Object.entries(c.byOperation)
    .map(([op, x]) => `${op} ${int(x)}`)
    .join(
      ', ',
    )} for ${int(s.householdEvents)} events: ${int(excess)} over 2 per event). By invocation: ${shapes ? topOf(shapes.byRequests, 6) : '–'}. ${int(inOrder)} of the ${int(s.householdEvents)} events (${share(inOrder / s.householdEvents)}) were the path itself, one GetItem and one TransactWriteItems. Every UpdateItem (${int(referenceDraws)}) is an enquiry from another system, which brings no reference, drawing the agency's next one from its counter when it is first stored (every household has a reference, whatever path it came by: docs/decisions.md); the demo's generator publishes ${share(referenceDraws / s.householdEvents)} of its household events so, and an enquiry logged through the API brings its own. Every Query (${int(queries)}) reads a household's partition whole: the refold of an event the state item cannot take (one dated before what it folded), or the receiving agency's copy of a household referred on (${int(s.referralEvents)} EnquiryReferredOn events in the run), read and, when the referral changed it, written again (another transaction)${queries === s.referralEvents ? ': here every Query was a referral' : ''}. The projector passes a referral on again whenever the referring household's state changes, and reads the receiving copy whole each time to compare; ${int(c.failed)} requests were refused and tried again. The referral is the feature itself (one event changes two agencies' records of a household: a read and a write in each), so the events that refer a household on cannot be within 2; what would meet the target as stated is moving the receiving copy's update out of the event's handling (a reader of the table's stream, as the conversion counts are), and, for the events after a referral, comparing the referring household's snapshot before and after the event before reading the copy (shared/projections/household.ts).`;
}

function conflictFinding(s: IngestSection, retries: number): string {
  const c = s.ingest.report.byEntry['projectors/household']!;
  return `**${int(retries)} household projector writes refused** (of ${int(c.byOperation.TransactWriteItems ?? 0)} transactions). With one household's events delivered one at a time (the ordered route), two deliveries can still meet in one partition when a referral passes a household on to another agency's copy while that agency's own events for it are delivered; each refused transaction is read, decided and written again (store/retry.ts).`;
}

function carerFinding(c: LongCarerResult, timeMet: boolean, largestMet: boolean): string {
  const text: string[] = [];
  if (!timeMet) {
    text.push(
      `**The ${c.years}-year carer's last tenth cost ${fixed(c.lastOverFirst, 2)} × its first per event** (${c.tenthsMsPerEvent.map((t) => ms(t)).join(', ')} ms per event, tenth by tenth). Each event in order reads the state item alone and writes it with the event's own item; the state item keeps the year in force, so it grows through each year and shrinks at the next year's first event (${int(c.items)} items in the partition by the end, its year items among them). The work per event did not grow with the years: its write units by AWS's rules, which follow the items written and the load on the machine does not move, were ${fixed(c.tenthsAwsUnitsPerEvent[0], 2)} per event in the first tenth and ${fixed(c.tenthsAwsUnitsPerEvent.at(-1), 2)} in the last (${fixed(Math.min(...c.tenthsAwsUnitsPerEvent), 2)}–${fixed(Math.max(...c.tenthsAwsUnitsPerEvent), 2)} over the tenths), and the state item ends at ${int(c.stateItemBytes)} bytes; the time per event moved with the machine (see the load average): the tenths between the first and the last took ${ms(Math.min(...c.tenthsMsPerEvent.slice(1, -1)))}–${ms(Math.max(...c.tenthsMsPerEvent.slice(1, -1)))} ms per event. A quieter machine would tell.`,
    );
  }
  if (!largestMet) {
    text.push(
      `**Largest item ${fixed(c.largestItem.bytes / KB)} KB** (${c.largestItem.sk}; the state item ${fixed(c.stateItemBytes / KB)} KB), over ${TARGETS.carerLargestItemBytes / KB} KB: a state item keeps a year of placements and holds, a year item each year's; one of them holds more than a year of this carer's stays.`,
    );
  }
  return text.join(' ');
}

function hubFinding(one: QuerySummary, hub: QuerySummary, agencies: number): string {
  return `**${one.route}: the hub's p50 is ${fixed(ratio(hub.p50Ms, one.p50Ms), 2)} × one agency's** (${ms(one.p50Ms)} → ${ms(hub.p50Ms)} ms; items read ${int(one.itemsRead)} → ${int(hub.itemsRead)}, requests ${int(one.requests)} → ${int(hub.requests)}). The hub holds about as many households as the one agency, but a regional read runs the agency's reads once per agency (${agencies} agencies, in parallel), so it makes ${agencies} × the requests, each paying DynamoDB Local's fixed cost per request on a 2-core machine, and reads what each agency's windows hold.`;
}

/** Of a carer's state item, what is neither its spans nor its approval terms and risk flags. */
const restBytes = (p: ApprovedCarersProfile) => p.meanBytes - p.meanSpanBytes - p.meanTermAndFlagBytes;
/** A fraction as a percentage, one decimal. */
const share = (fraction: number) => `${fixed(100 * fraction, 1)}%`;
const recruitedShare = (p: ApprovedCarersProfile) => `${fixed((100 * p.recruited) / Math.max(1, p.carers), 0)}%`;

function queryFinding(two: QuerySummary, ten: QuerySummary, profiles: ApprovedCarersProfile[], lastYearEvents: number[]): string {
  const r = (a: number, b: number) => fixed(ratio(a, b), 2) ?? '–';
  const perItem = (q: QuerySummary) => (q.itemsRead ? int(q.bytesRead / q.itemsRead) : '–');
  const items = ratio(ten.itemsRead, two.itemsRead) ?? 0;
  const bytes = ratio(ten.bytesRead, two.bytesRead) ?? 0;
  const text = [
    `**${two.route}: 10 y / 2 y = ${r(ten.itemsRead, two.itemsRead)} (items read), ${r(ten.p50Ms, two.p50Ms)} (p50 latency).** Items read ${int(two.itemsRead)} / ${int(ten.itemsRead)}, bytes read ${int(two.bytesRead)} / ${int(ten.bytesRead)} (${perItem(two)} / ${perItem(ten)} per item), requests ${int(two.requests)} / ${int(ten.requests)}, p50 ${ms(two.p50Ms)} / ${ms(ten.p50Ms)} ms with 2 / 10 years.`,
  ];
  if (items > TARGETS.historyRatio) {
    const [two2, ten2] = lastYearEvents as [number, number];
    text.push(
      `Items: ${windowNote(two.route)}. The generator draws each agency's activity of its own: the 10-year history's ${LAST_YEAR} holds ${int(ten2)} events, the 2-year history's ${int(two2)} (${fixed(ratio(ten2, two2), 2)} ×). What would meet the target as stated: histories whose asked-about windows hold the same activity; the query reads no more than its window.`,
    );
  }
  const latency = ratio(ten.p50Ms, two.p50Ms) ?? 0;
  if (latency > TARGETS.historyRatio) {
    const readsCarers = ['Capacity', 'BedsOnHold', 'Sufficiency', 'ResignationForecast'].includes(two.route);
    const [p2, p10] = profiles as [ApprovedCarersProfile, ApprovedCarersProfile];
    const wholeItems = items * (ratio(p10.meanBytes, p2.meanBytes) ?? 1);
    text.push(
      `Latency: ${r(ten.p50Ms, two.p50Ms)} × for ${r(ten.itemsRead, two.itemsRead)} × the items and ${r(ten.bytesRead, two.bytesRead)} × the bytes answered.`,
    );
    if (readsCarers && latency <= wholeItems * 1.05) {
      text.push(
        `DynamoDB reads each carer's state item whole to answer the part a figure asks for (and a read unit is charged by the whole item too), and the state items of the carers approved at the date are larger in the longer history: ${int(p2.meanBytes)} → ${int(p10.meanBytes)} bytes on average (${r(p10.meanBytes, p2.meanBytes)} ×), so the bytes DynamoDB reads grow about ${fixed(wholeItems, 2)} × (the items times their size), against which the latency's ${r(ten.p50Ms, two.p50Ms)} × is no surprise. What grows is not their placements and holds (${int(p2.meanSpanBytes)} → ${int(p10.meanSpanBytes)}: a year at most, household-years.ts) nor their approval terms and risk flags (${int(p2.meanTermAndFlagBytes)} → ${int(p10.meanTermAndFlagBytes)}), but the rest (${int(restBytes(p2))} → ${int(restBytes(p10))}), mostly the recruitment record that ${recruitedShare(p2)} of the 2-year history's carers hold and ${recruitedShare(p10)} of the 10-year history's (a history opens with carers approved before it began, whose state has none). What would meet it: a carer's state item that does not carry its recruitment record once approved; the queries read only the part they need already.`,
      );
    } else if (latency <= Math.max(items, bytes) * 1.05) {
      text.push('Latency follows the reads.');
    } else {
      text.push(
        `Latency grows more than the reads do: the calls ran on a shared machine (see the load average), and the p50 of ${options.queryRuns} calls moves with it; a quieter machine would tell.`,
      );
    }
  }
  return text.join(' ');
}

/** What a question reads besides its own dates (docs/benchmark.md "Access patterns"). */
function windowNote(route: string): string {
  switch (route) {
    case 'CampaignConversion':
      return 'it reads the day counts of its window and of the same window a year earlier (an item per agency and day with activity, shared/store/conversion-counts.ts), not households: more items means busier days in the longer history';
    case 'Sufficiency':
    case 'ResignationForecast':
      return 'it reads the carers approved at the date, the running applications, and at most 25 month items of outcomes: more items means more carers at the date in the longer history';
    case 'Capacity':
    case 'BedsOnHold':
      return 'it reads the carers approved at the date, who are the answer itself: the longer history has more of them';
    case 'AnnualReturn':
      return "it reads the households with an enquiry, a stage, an approval, a closure or a resignation dated in the year, and the carers at its end (docs/benchmark.md, access patterns): the year's activity, not the years before it";
    case 'CaseloadCounts':
    case 'Timeliness':
      return "it reads the households whose enquiry (and approval) is dated in the window asked about (docs/benchmark.md, access patterns): the window's activity, not the years before it";
    default:
      return 'see shared/queries/ for what it reads';
  }
}

/** Sizes in KB as `a–b`, or one figure when they are all the same. */
function kbRange(bytes: number[]): string {
  const low = fixed(Math.min(...bytes) / KB);
  const high = fixed(Math.max(...bytes) / KB);
  return low === high ? String(low) : `${low}–${high}`;
}

function bundleFinding(over: BundleResult[], limit: number): string {
  const parts = new Map<string, number>();
  for (const b of over) for (const p of b.byPackage) parts.set(p.name, Math.max(parts.get(p.name) ?? 0, p.bytes));
  const largest = [...parts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${fixed(bytes / KB)} KB`)
    .join(', ');
  return `**Bundles over ${limit / KB} KB: ${over.map((b) => b.entry).join(', ')}** (${kbRange(over.map((b) => b.bytes))} KB). Their largest parts: ${largest}. If zod (locales) is among them, something imports zod as \`{ z }\`, which makes esbuild keep its whole namespace: import it as \`* as z\` (shared/events/envelope.ts says why). Otherwise what would meet it is leaving those parts out of the entries that carry them.`;
}

// ---- Main ----

async function main(): Promise<void> {
  const m = machine();
  let ingest: IngestSection | undefined;
  let carer: LongCarerResult | undefined;
  let queries: QueriesSection | undefined;
  let bundles: BundleResult[] | undefined;

  if (options.sections.has('ingest') || options.sections.has('carer') || options.sections.has('queries')) {
    log('starting the local runtime (DynamoDB Local in memory, bus, HTTP server) in its own process...');
    process.env[LOCAL_EXTRA_REGIONS_ENV] = benchRegions();
    const worker = await startRuntimeWorker();
    try {
      // This process reads and seeds the same DynamoDB Local through the shared store code.
      Object.assign(process.env, worker.tableEnv, {
        [LOCAL_DYNAMODB_ENDPOINT_ENV]: worker.dynamoDbEndpoint,
        AWS_REGION: 'eu-west-2',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      });
      if (options.sections.has('ingest')) ingest = await ingestSection(worker);
      if (options.sections.has('carer')) carer = await carerSection(worker);
      if (options.sections.has('queries')) queries = await queriesSection(worker);
    } finally {
      await worker.stop();
    }
  }
  if (options.sections.has('cold-start')) {
    log(`cold start: ${lambdaEntries().length} bundles, ${options.importRuns} imports each...`);
    bundles = await measureColdStarts({ runs: options.importRuns, log });
  }

  const markdown = render(m, ingest, carer, queries, bundles);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${markdown}\n`);
  console.log(markdown);
  log(`\nwritten to ${relative(process.cwd(), options.out) || options.out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
