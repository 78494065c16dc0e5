// `npm run bench`: ingest, queries, cold start and memory, measured against the local stack, written
// to bench/results.md and printed. Targets are reported, not enforced: a missed one is a finding.
//   npm run bench -- --quick   (a quick run to iterate with: fewer events, households, calls, a 5-year carer)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../shared/wiring/environment';
import { householdDetailTypes, type DomainEvent } from '../shared/events/catalogue';
import { readHouseholdHistory } from '../shared/store/households';
import { eventLogIndex, indexShards } from '../shared/store/tables';
import { lambdaEntries, measureColdStarts, type BundleResult } from './cold-start';
import { measureFloor, type FloorResult } from './floor';
import { measureWriteShapes, type ShapeResult, type WriteShapes } from './write-shapes';
import { generateRegionHistory } from '../tools/demo/history';
import { endOfDay } from '../shared/domain/calendar';
import { approvedCarersProfile, foldHistory, indexSpread, seedHistory, type ApprovedCarersProfile, type IndexSpread } from './history';
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
  ingestCostRatio: 2,
  projectorRequestsPerEvent: 2,
  projectorWriteUnitsPerEvent: 4,
  conflictRetries: 0,
  carerLastOverFirst: 1.2,
  carerLargestItemBytes: 64 * KB,
  historyRatio: 1.2,
  hubOverAgency: 2,
  bundleBytes: 200 * KB,
  importMs: 100,
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
  shapes: WriteShapes;
  householdEvents: number;
  referralEvents: number;
  warmupEvents: number;
  stateCheck: { households: number; identical: number };
}

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
  for (const h of folded.households) {
    // The whole record: the state item with its year items merged back.
    const stored = (await readHouseholdHistory(h.agencyId, h.householdId)).whole;
    if (isDeepStrictEqual(stored, JSON.parse(JSON.stringify(h.state)))) identical += 1;
  }
  log(`  seeded-state check: ${identical}/${folded.households.length} households identical to the projected ones`);

  log(`floor: ${events.length} bare PutItem calls, ${BUS_CONCURRENCY} in flight...`);
  const { result: floor, cpu: floorCpu } = await cpuDuring(worker, () =>
    measureFloor(worker.dynamoDbEndpoint, events.length, BUS_CONCURRENCY),
  );
  log(`  ${ms(floor.msPerWrite)} ms per write`);
  const shapeWrites = Math.ceil(events.length / 2);
  log(`write shapes: ${shapeWrites} writes of each, ${BUS_CONCURRENCY} in flight, each on a fresh DynamoDB Local...`);
  const shapes = await measureWriteShapes(folded.households, shapeWrites, BUS_CONCURRENCY);
  log(
    `  bare ${ms(shapes.bare.msPerWrite)}, with a stream ${ms(shapes.bareWithStream.msPerWrite)}, read + put ${ms(shapes.readThenPut.msPerWrite)}, read + transaction ${ms(shapes.readThenTransaction.msPerWrite)} ms per write`,
  );
  return {
    ingest,
    floor,
    floorCpu,
    shapes,
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

/** The histories compared: 1 and 10 years (the targets), and 2 years, the first to hold every window a query asks about. */
const HISTORY_YEARS = [1, 2, 10] as const;

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
    histories.push({ agencyId, years, events: events.length, households, itemsWritten, approvedCarers });
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

/** The write shapes' rows (bench/write-shapes.ts): each on a fresh DynamoDB Local, against the bare write there. */
function shapeRows(s: IngestSection): Cell[][] {
  const { shapes } = s;
  const row = (name: string, r: ShapeResult): Cell[] => [
    `${name} (${int(shapes.writes)} writes, fresh DynamoDB Local)`,
    `${ms(r.msPerWrite)} ms (${fixed(ratio(r.msPerWrite, shapes.bare.msPerWrite), 2)} × the bare write), ${fixed(r.requestsPerWrite, 2)} requests, ${fixed(r.writeUnitsPerWrite, 2)} write units`,
  ];
  return [
    row("the floor's bare PutItem, into a table without a stream", shapes.bare),
    row('the same, into a table with a stream', shapes.bareWithStream),
    row('GetItem + conditional PutItem of the state item with its event, into a table with only its keys', shapes.readThenPutKeysOnly),
    row(
      "the projector's write for an event in order, the least a fold onto the stored state writes: GetItem + conditional PutItem of the state item with its event (the projections table's schema)",
      shapes.readThenPut,
    ),
    row(
      "a command's write (the projector's before the event archive): GetItem + TransactWriteItems of the event item and the state item",
      shapes.readThenTransaction,
    ),
    ...(
      [
        ['oneTable', 'all into one table'],
        ['newTableEachRound', 'each round into a table created for it'],
      ] as const
    ).map(([series, how]): Cell[] => [
      `a bare PutItem into a table with a stream, ${how}, by the stream records DynamoDB Local held`,
      shapes.streamGrowth[series].map((g) => `${int(g.recordsHeld)}: ${ms(g.msPerWrite)} ms`).join(', '),
    ]),
  ];
}

/** All CPU (runtime, DynamoDB Local, client) per event over the same per floor write. */
function cpuRatio(s: IngestSection): number | undefined {
  if (s.ingest.cpu.dynamoDbLocalMs === undefined || s.floorCpu.dynamoDbLocalMs === undefined) return undefined;
  const perEvent = (s.ingest.cpu.runtimeMs + s.ingest.cpu.dynamoDbLocalMs + s.ingest.cpu.publisherMs) / s.ingest.events;
  const perWrite = (s.floorCpu.dynamoDbLocalMs + s.floorCpu.publisherMs) / s.floor.writes;
  return perEvent / perWrite;
}

const perEventOrUndefined = (total: number | undefined, n: number) => (total === undefined ? undefined : total / n);

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

function render(
  m: ReturnType<typeof machine>,
  ingest?: IngestSection,
  carer?: LongCarerResult,
  queries?: QueriesSection,
  bundles?: BundleResult[],
  sdkBundled?: BundleResult,
): string {
  const parts: string[] = [];
  const memory: string[] = [];
  const targets: Target[] = [];
  const findings: string[] = [];

  if (ingest) {
    const { report } = ingest.ingest;
    const rules = ingest.floor.writeUnitRules;
    const perEvent = (n: number) => n / ingest.ingest.events;
    const ingestMsPerEvent = (ingest.ingest.seconds * 1000) / ingest.ingest.events;
    const costRatio = ratio(ingestMsPerEvent, ingest.floor.msPerWrite)!;
    const projector = report.byEntry['projectors/household'];
    const projectorRequests = projector ? projector.requests / ingest.householdEvents : undefined;
    const projectorWriteUnits = projector ? projector.writeUnits / ingest.householdEvents : undefined;
    // With one household's events delivered one at a time, a cancelled transaction is a conflict retry.
    const conflictRetries = projector?.failed;
    targets.push(
      {
        name: 'ingest time per event / floor time per write',
        limit: `≤ ${TARGETS.ingestCostRatio}`,
        measured: fixed(costRatio, 2)!,
        met: costRatio <= TARGETS.ingestCostRatio,
      },
      {
        name: 'DynamoDB requests per event, projector path (household projector)',
        limit: `≤ ${TARGETS.projectorRequestsPerEvent}`,
        measured: fixed(projectorRequests, 2) ?? '–',
        met: projectorRequests === undefined ? undefined : projectorRequests <= TARGETS.projectorRequestsPerEvent,
      },
      {
        name: 'DynamoDB write units per event, household projector (as DynamoDB Local counts them)',
        limit: `≤ ${TARGETS.projectorWriteUnitsPerEvent}`,
        measured: fixed(projectorWriteUnits, 2) ?? '–',
        met: projectorWriteUnits === undefined ? undefined : projectorWriteUnits <= TARGETS.projectorWriteUnitsPerEvent,
      },
      {
        name: 'conflict retries (household projector requests answered with an error)',
        limit: `${TARGETS.conflictRetries}`,
        measured: int(conflictRetries) ?? '–',
        met: conflictRetries === undefined ? undefined : conflictRetries <= TARGETS.conflictRetries,
      },
    );
    parts.push(
      '## 1. Ingest',
      '',
      `${int(ingest.ingest.events)} events from the demo's generator (${int(ingest.householdEvents)} of them household events), published with the AWS SDK's PutEvents to the local bus in batches of up to 10, keeping at most ${ingest.ingest.inFlight} events not yet visible (the bus runs ${BUS_CONCURRENCY} deliveries at once: each has the next event waiting, and the latency stays the system's own rather than that of a backlog the publisher piled up). Latency: from the bus accepting an event to its projector having written it (the local bus's delivery-settled hook). The floor: the same number of bare single-item PutItem calls from one SDK client to the same DynamoDB Local, into a table without indexes, ${ingest.floor.inFlight} in flight (as many as the bus runs deliveries). Both run warm: ${int(ingest.warmupEvents)} events of another agency went through the bus, untimed, first.`,
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
          ...shapeRows(ingest),
          [
            'CPU per event: runtime (Node) / DynamoDB Local / publisher',
            `${ms(ingest.ingest.cpu.runtimeMs / ingest.ingest.events)} / ${ms(perEventOrUndefined(ingest.ingest.cpu.dynamoDbLocalMs, ingest.ingest.events))} / ${ms(ingest.ingest.cpu.publisherMs / ingest.ingest.events)} ms`,
          ],
          [
            'CPU per floor write: DynamoDB Local / client',
            `${ms(perEventOrUndefined(ingest.floorCpu.dynamoDbLocalMs, ingest.floor.writes))} / ${ms(ingest.floorCpu.publisherMs / ingest.floor.writes)} ms`,
          ],
          ['ratio of CPU per event to CPU per floor write (less sensitive to other load)', fixed(cpuRatio(ingest), 2)],
          ['DynamoDB requests per event (every handler)', fixed(perEvent(report.total.requests), 2)],
          ["DynamoDB requests per household event, household projector (the target's measure)", fixed(projectorRequests, 2)],
          ['DynamoDB write units per event (as DynamoDB Local reports them)', fixed(perEvent(report.total.writeUnits), 2)],
          [
            "DynamoDB write units per household event, household projector and the stream reader together (the reader writes the events' items and the conversion counts)",
            fixed(((projector?.writeUnits ?? 0) + (report.byEntry[STREAM_READER_ENTRY]?.writeUnits ?? 0)) / ingest.householdEvents, 2),
          ],
          [
            'of which, household projector, per household event: the table / the event log index / the household indexes',
            projector ? writeUnitsWhere(projector.writeUnitsBy, ingest.householdEvents) : '–',
          ],
          [
            "DynamoDB Local's table units (probed this run) for a small PutItem, one over 1 KB / a TransactWriteItems of one small item, of two unlike ones, of one item over 1 KB; of two alike",
            `${rules.put}, ${rules.putOverOneKb} / ${rules.transactionOfOne} / ${rules.transactionOfTwo} / ${rules.transactionOverOneKb}; ${rules.transactionOfTwoAlike} (AWS's published rule: 1, 2 / 2 / 4 / 4; 4)`,
          ],
          [
            "DynamoDB Local's index units (probed) when one of an item's two index keys moves: PutItem / one-item transaction; a transaction keeping both keys; an entry a new item adds: PutItem / transaction",
            `${rules.putMovingOneKey} / ${rules.transactionMovingOneKey}; ${rules.transactionKeysKept}; ${rules.putAddingEntry} / ${rules.transactionAddingEntry}`,
          ],
          ['DynamoDB read units per event', fixed(perEvent(report.total.readUnits), 2)],
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
      'By handler (requests and units per event the handler received):',
      '',
      table(
        ['handler', 'requests', 'by operation', 'write units', 'read units', 'items read'],
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
              `${int(c.writeUnits)}${received ? ` (${per(c.writeUnits)}/event)` : ''}`,
              fixed(c.readUnits, 1),
              int(c.itemsRead),
            ];
          }),
      ),
      '',
    );
    memory.push(
      '## 5. Memory',
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
    if (costRatio > TARGETS.ingestCostRatio) findings.push(ingestCostFinding(ingest, costRatio));
    if (projectorRequests !== undefined && projectorRequests > TARGETS.projectorRequestsPerEvent)
      findings.push(projectorRequestsFinding(ingest, projectorRequests));
    if (projectorWriteUnits !== undefined && projectorWriteUnits > TARGETS.projectorWriteUnitsPerEvent)
      findings.push(writeUnitsFinding(ingest, projectorWriteUnits));
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
      '## 2. A carer of many years',
      '',
      `One short-breaks household of ${carer.years} years (bench/long-carer.ts): enquiry, visit, assessment and approval, then an overnight stay every Friday (a PlacementStarted and a PlacementEnded) but for a fortnight's break on hold each August: ${int(carer.events)} events, sent in event-time order through the local bus (PutEvents batches of 10), a tenth at a time, each tenth timed from its first PutEvents to its last event visible. Item sizes: every item of the household's partition afterwards, measured as DynamoDB counts them against its 400 KB limit (attribute names and values, bench/long-carer.ts).`,
      '',
      table(
        ['tenth', ...carer.tenthsMsPerEvent.map((_, i) => String(i + 1))],
        [['ms per event', ...carer.tenthsMsPerEvent.map((t) => ms(t))]],
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
    const unitRows: Cell[][] = [];
    const byteRows: Cell[][] = [];
    const profiles = [1, 2, 10].map((years) => queries.histories.find((h) => h.years === years)!.approvedCarers);
    for (const { route, path } of queries.results.filter((r) => r.agencyId === byYears(1))) {
      const [one, two, ten] = [result(route, 1), result(route, 2), result(route, 10)];
      const itemsRatio = ratio(ten.itemsRead, one.itemsRead);
      const latencyRatio = ratio(ten.p50Ms, one.p50Ms);
      itemRows.push([
        route,
        path.replace(/^\/metrics\//, ''),
        int(one.itemsRead),
        int(two.itemsRead),
        int(ten.itemsRead),
        fixed(itemsRatio, 2),
        fixed(ratio(ten.itemsRead, two.itemsRead), 2),
      ]);
      unitRows.push([
        route,
        fixed(one.readUnits, 1),
        fixed(two.readUnits, 1),
        fixed(ten.readUnits, 1),
        fixed(ratio(ten.readUnits, one.readUnits), 2),
        fixed(ratio(ten.readUnits, two.readUnits), 2),
      ]);
      byteRows.push([
        route,
        ...[one, two, ten].map((r) => int(r.bytesRead)),
        fixed(ratio(ten.bytesRead, one.bytesRead), 2),
        fixed(ratio(ten.bytesRead, two.bytesRead), 2),
        ...[one, two, ten].map((r) => (r.itemsRead ? int(r.bytesRead / r.itemsRead) : '–')),
      ]);
      latencyRows.push([
        route,
        ...[one, two, ten].map((r) => `${ms(r.p50Ms)} / ${ms(r.p99Ms)}`),
        fixed(latencyRatio, 2),
        fixed(ratio(ten.p50Ms, two.p50Ms), 2),
      ]);
      const itemsMet = itemsRatio === undefined ? ten.itemsRead === 0 : itemsRatio <= TARGETS.historyRatio;
      targets.push(
        {
          name: `${route}: items read 10 y / 1 y`,
          limit: `≤ ${TARGETS.historyRatio}`,
          measured: `${fixed(itemsRatio, 2) ?? '–'} (${int(one.itemsRead)} → ${int(ten.itemsRead)})`,
          met: itemsMet,
        },
        {
          name: `${route}: p50 latency 10 y / 1 y`,
          limit: `≤ ${TARGETS.historyRatio}`,
          measured: `${fixed(latencyRatio, 2) ?? '–'} (${ms(one.p50Ms)} → ${ms(ten.p50Ms)} ms)`,
          met: latencyRatio === undefined ? undefined : latencyRatio <= TARGETS.historyRatio,
        },
      );
      if (!itemsMet || (latencyRatio ?? 0) > TARGETS.historyRatio) findings.push(queryFinding(one, two, ten, profiles));
    }
    const hubRows: Cell[][] = [];
    const hubName = queries.hub.regionId;
    for (const { route } of queries.results.filter((r) => r.agencyId === byYears(1))) {
      const hub = queries.results.find((r) => r.route === route && r.agencyId === hubName);
      const ten = result(route, 10);
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
      targets.push({
        name: `${route}: hub p50 / one agency's p50`,
        limit: `≤ ${TARGETS.hubOverAgency}`,
        measured: `${fixed(hubRatio, 2) ?? '–'} (${ms(ten.p50Ms)} → ${ms(hub.p50Ms)} ms)`,
        met: hubRatio === undefined ? undefined : hubRatio <= TARGETS.hubOverAgency,
      });
      if ((hubRatio ?? 0) > TARGETS.hubOverAgency) findings.push(hubFinding(ten, hub, queries.hub.agencyIds.length));
    }
    const described = queries.histories
      .map((h) => `\`${h.agencyId}\` ${h.years} year${h.years > 1 ? 's' : ''}: ${int(h.households)} households, ${int(h.events)} events`)
      .join('; ');
    parts.push(
      '## 3. Queries',
      '',
      `One agency's history from the demo's generator at scale ${fixed(queries.scale, 2)} (the scale at which 10 years hold at least ${int(options.households)} households), over 1, 2 and 10 years ending ${QUERY_AT}: ${described}. Each opens with the carers and open enquiries of a service going live, as the generator does. The 2-year history is a control: it is the shortest that holds every window a question reads (campaign conversion's previous year, the forecast's two years of outcomes), so 10 y / 2 y isolates growth with history from windows a 1-year history leaves empty. Each history was folded with the projector's own fold and written as the items the projector writes (BatchWrite), not replayed through the bus; the ingest section checks that fold against what the bus's projectors wrote. Every metric endpoint is asked the same question (same dates) of each, over HTTP with a manager's token: ${options.queryRuns} timed calls each after ${options.warmup} warm-up calls, interleaved across endpoints and histories. Items read: what DynamoDB read for the call (ScannedCount, as ReadTally counts it), counted in the runtime.`,
      '',
      'Items read per call:',
      '',
      table(['endpoint', 'question', '1 y', '2 y', '10 y', '10 y / 1 y', '10 y / 2 y'], itemRows),
      '',
      "Read units per call (DynamoDB Local's ConsumedCapacity, 4 KB each: they grow with the size of the items read too):",
      '',
      table(['endpoint', '1 y', '2 y', '10 y', '10 y / 1 y', '10 y / 2 y'], unitRows),
      '',
      "Bytes read per call (the items DynamoDB answered to the call's reads, in their wire form, JSON of attribute values: items below 4 KB grow in size without a read unit more), and per item read:",
      '',
      table(['endpoint', '1 y', '2 y', '10 y', '10 y / 1 y', '10 y / 2 y', 'per item 1 y', 'per item 2 y', 'per item 10 y'], byteRows),
      '',
      `The state items of the carers approved at ${QUERY_AT} (the carers capacity, beds on hold, sufficiency and the forecast read), whole as the table holds them (each figure reads a part: capacity its carer record, the forecast that, the risk flags and the enquiry's reference, shared/domain/household.ts), with 1 / 2 / 10 years: ${profiles.map((p) => int(p.carers)).join(' / ')} carers, ${profiles.map((p) => int(p.meanBytes)).join(' / ')} bytes on average, of which their placements and holds (a year at most) ${profiles.map((p) => int(p.meanSpanBytes)).join(' / ')}, their approval terms and resignation-risk flags ${profiles.map((p) => int(p.meanTermAndFlagBytes)).join(' / ')}, and the rest ${profiles.map((p) => int(restBytes(p))).join(' / ')}; ${profiles.map(recruitedShare).join(' / ')} of them recruited within the history, whose state holds their recruitment (the enquiry, the stage dates and those dates' index keys), where the carers a history opens with were approved before it began.`,
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
      table(['endpoint', '1 y', '2 y', '10 y', 'p50 10 y / 1 y', 'p50 10 y / 2 y'], latencyRows),
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
    const largest = Math.max(...bundles.map((b) => b.bytes));
    const slowest = Math.max(...bundles.map((b) => b.importMs));
    const bundlesOver = bundles.filter((b) => b.bytes > TARGETS.bundleBytes).length;
    const importsOver = bundles.filter((b) => b.importMs > TARGETS.importMs).length;
    targets.push(
      {
        name: `every bundle (${bundles.length})`,
        limit: `≤ ${TARGETS.bundleBytes / KB} KB`,
        measured: `largest ${fixed(largest / KB)} KB; ${bundlesOver} over`,
        met: largest <= TARGETS.bundleBytes,
      },
      {
        name: `every import (${bundles.length})`,
        limit: `≤ ${TARGETS.importMs} ms`,
        measured: `slowest ${ms(slowest)} ms; ${importsOver} over`,
        met: slowest <= TARGETS.importMs,
      },
    );
    parts.push(
      '## 4. Cold start',
      '',
      `Each Lambda entry (every route of shared/wiring/http-routes.ts and shared/wiring/event-routes.ts) bundled as NodejsFunction bundles it: esbuild with infra/fostering-function.ts's settings (minified, CJS, target node22, source maps without sources) and NodejsFunction's defaults for a Node 22 runtime (platform node, \`${'@aws-sdk/*'}\` external: the runtime provides it). Size: the minified \`index.js\` (the .map not counted; 1 KB = 1024 bytes). Import: the median of ${options.importRuns} fresh \`node\` processes, each timing \`require()\` of the bundle (wall time, the target; its CPU time beside it, which other work on the machine disturbs less) with NODE_OPTIONS=--enable-source-maps as the stack sets it, the SDK resolved from node_modules (in Lambda: the runtime's copy). This machine runs Node ${process.version.slice(1)} on ${process.arch}; Lambda runs Node 22 on arm64, so absolute import times there differ.`,
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
    if (largest > TARGETS.bundleBytes) findings.push(bundleFinding(bundles));
    if (slowest > TARGETS.importMs) findings.push(importFinding(bundles, sdkBundled));
  }

  const header = [
    '# Benchmark results',
    '',
    `\`npm run bench\` (bench/run.ts) against the local stack. Written ${m.date} at commit \`${m.commit}\`${m.uncommitted ? ' plus changes not yet committed' : ''}; the run took ${fixed((performance.now() - m.startedMs) / 60_000, 1)} min.`,
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
          `--events ${options.events} --households ${options.households} --query-runs ${options.queryRuns} --warmup ${options.warmup} --import-runs ${options.importRuns} --in-flight ${options.inFlight} --seed ${options.seed}`,
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

/** Write units spent on the table, on the event log's index, and on the household indexes. */
function writeUnitsWhere(by: Record<string, number>, events: number): string {
  const table = by.table ?? 0;
  const eventLog = by[eventLogIndex.indexName] ?? 0;
  const households = Object.entries(by)
    .filter(([at]) => at !== 'table' && at !== eventLogIndex.indexName)
    .reduce((sum, [, n]) => sum + n, 0);
  return [table, eventLog, households].map((n) => fixed(n / events, 2)).join(' / ');
}

// ---- Findings for missed targets (their figures come from this run) ----

/** The stream reader's share of an event's CPU, in words (in AWS a Lambda of its own, off the projector's path). */
function streamReaderNote(s: IngestSection): string {
  const reader = s.ingest.report.byEntry[STREAM_READER_ENTRY];
  if (!reader) return '';
  const ops = Object.entries(reader.byOperation)
    .map(([op, n]) => `${op} ${fixed(n / s.householdEvents, 2)}`)
    .join(', ');
  return `; and, both sides, the stream reader writing the events' items and keeping the conversion counts: ${ops} per household event, which in AWS runs in a Lambda of its own after the projection is written, so it adds to this CPU, not to the latency`;
}

/** What the write shapes, each measured on a fresh DynamoDB Local, say of the gap to the floor. */
function writeShapesNote(s: IngestSection): string {
  const { shapes } = s;
  const over = (r: ShapeResult) => fixed(ratio(r.msPerWrite, shapes.bare.msPerWrite), 2);
  const { oneTable, newTableEachRound } = shapes.streamGrowth;
  const series = (rounds: typeof oneTable) =>
    `${ms(rounds[0]!.msPerWrite)} ms with none held, ${ms(rounds.at(-1)!.msPerWrite)} ms with ${int(rounds.at(-1)!.recordsHeld)}`;
  return `Measured apart, each on a DynamoDB Local of its own, fresh and warmed up (the write-shape rows, ${int(shapes.writes)} writes each over the real items of ${int(shapes.households)} households): against the floor's bare PutItem there (${ms(shapes.bare.msPerWrite)} ms), the same PutItem into a table with a stream costs ${over(shapes.bareWithStream)} ×; a consistent GetItem and a conditional PutItem of a state item with its event ${over(shapes.readThenPutKeysOnly)} × into a table with only its keys and ${over(shapes.readThenPut)} × into the projections table's schema (its indexes and stream): the projector's own write, and the least any design that folds an event onto the stored state can write; a GetItem and the transaction of the event item and the state item (a command's write) ${over(shapes.readThenTransaction)} ×. So the two requests an event in order needs cost ${over(shapes.readThenPut)} × the floor by themselves, with nothing of ours around them, against the ingest's ${fixed(ratio(s.ingest.seconds * 1000, s.floor.msPerWrite * s.ingest.events), 2)} × in all, and the 2 × target lies below what this emulator gives one read and one conditional write into a table that carries the indexes the queries read and the stream the outbox and the conversion counts need. Why each shape has an emulator of its own: in DynamoDB Local a write into a table with a stream slows with the stream records held by the tables created before it, not with its own table's (the last two rows: a bare PutItem took ${series(newTableEachRound)} when each round had a table of its own, and ${series(oneTable)} into one table). The ingest writes one projections table, so the records it piles up do not slow it; the test run, where each file makes tables of its own, is slowed by the files before it.`;
}

function ingestCostFinding(s: IngestSection, costRatio: number): string {
  const c = s.ingest.report.byEntry['projectors/household'];
  const per = (n: number | undefined) => fixed((n ?? 0) / s.householdEvents, 2);
  const { cpu } = s.ingest;
  const perEvent = (n: number | undefined) => ms(perEventOrUndefined(n, s.ingest.events));
  const perWrite = (n: number | undefined) => ms(perEventOrUndefined(n, s.floor.writes));
  const dynamoDbLarger = cpu.dynamoDbLocalMs !== undefined && cpu.dynamoDbLocalMs > cpu.runtimeMs;
  return [
    `**Ingest cost ${fixed(costRatio, 2)} × the floor** (by CPU time: ${fixed(cpuRatio(s), 2) ?? '–'} ×). This machine's ${cpus().length} cores are shared by the runtime, DynamoDB Local's JVM and the publisher, so wall time follows the CPU spent. A floor write took ${perWrite(s.floorCpu.dynamoDbLocalMs)} ms of DynamoDB Local's CPU and ${perWrite(s.floorCpu.publisherMs)} ms of its SDK client's. An event took ${perEvent(cpu.dynamoDbLocalMs)} ms of DynamoDB Local's and ${perEvent(cpu.runtimeMs)} ms of the runtime's (the bus, two SDK requests, envelope and detail validation, the fold, a log line${streamReaderNote(s)}).`,
    `${dynamoDbLarger ? "DynamoDB Local's share is the larger" : "DynamoDB Local's share"}: per household event the projector sends ${per(c?.requests)} requests — for an event in order a consistent GetItem of the state item (the event is folded onto it; the item is bounded, household-years.ts), for a late event or an older duplicate a Query of the household's partition as well (${per(c?.itemsRead)} items read per event in all), then a PutItem of the new state item with the event, conditional on the version read (a TransactWriteItems only when the state's spans leave for a year item or a referral reward falls due) — and ${per(c?.writeUnits)} write units per event as DynamoDB Local counts them (table / event log index / household indexes: ${c ? writeUnitsWhere(c.writeUnitsBy, s.householdEvents) : '–'}), against ${s.floor.writeUnitRules.put} per floor write (the write-unit finding gives DynamoDB Local's rules, probed this run).`,
    writeShapesNote(s),
    "What is left is the design itself: the floor is one bare PutItem into a table without indexes or stream, an event in order one consistent read and one conditional write of an item the queries' indexes and the stream's readers need, and the stream reader writing the event's own item (the partition's record, the export's log entry) beside it on the same two cores.",
  ].join(' ');
}

function projectorRequestsFinding(s: IngestSection, perEvent: number): string {
  const c = s.ingest.report.byEntry['projectors/household']!;
  const writes = (c.byOperation.TransactWriteItems ?? 0) + (c.byOperation.PutItem ?? 0);
  const excess = c.requests - 2 * s.householdEvents;
  const cancelled = c.failed;
  const rest = excess - 2 * cancelled;
  return `**Projector requests ${fixed(perEvent, 2)} per household event** (${Object.entries(c.byOperation)
    .map(([op, n]) => `${op} ${int(n)}`)
    .join(
      ', ',
    )} for ${int(s.householdEvents)} events; the path itself is 1 GetItem + 1 conditional PutItem). Of the ${int(excess)} requests over 2 per event, ${int(2 * cancelled)} are the ${int(cancelled)} of ${int(writes)} conditional writes refused because another delivery for the same household wrote first, each read and written again (optimistic concurrency), and ${int(rest)} pass referrals on to the receiving agency (${int(s.referralEvents)} EnquiryReferredOn events; a read and a write in the receiving household's partition each). The referrals' requests are the feature itself: one event updates two households, the referring one and the receiving agency's copy. Without conflicts the projector makes ${fixed((c.requests - 2 * cancelled) / s.householdEvents, 2)} requests per event, and ${fixed((c.requests - 2 * cancelled - rest) / s.householdEvents, 2)} per event for the household each event names.`;
}

function writeUnitsFinding(s: IngestSection, perEvent: number): string {
  const c = s.ingest.report.byEntry['projectors/household']!;
  const reader = s.ingest.report.byEntry[STREAM_READER_ENTRY];
  const r = s.floor.writeUnitRules;
  return [
    `**Household projector write units ${fixed(perEvent, 2)} per event** (${int(c.writeUnits)} for ${int(s.householdEvents)} events; table / event log index / household indexes: ${writeUnitsWhere(c.writeUnitsBy, s.householdEvents)} per event; the stream reader, which writes the events' own items and the conversion counts, ${fixed((reader?.writeUnits ?? 0) / s.householdEvents, 2)} more).`,
    `DynamoDB Local's rules, probed this run: a PutItem of a small item ${r.put}, of one over 1 KB ${r.putOverOneKb}; a transaction ${r.transactionOfOne} per item per KB rounded up (twice AWS's published rule); an index entry a PutItem adds ${r.putAddingEntry}, a transaction ${r.transactionAddingEntry}; a moved index key ${r.putMovingOneKey} in a PutItem, ${r.transactionMovingOneKey} in a transaction.`,
    `An event in order is one PutItem of the state item carrying the event (1 unit per KB: most are 1–2 KB) and ${r.putMovingOneKey} for each household index key it moves (a stage reached, an approval, a closure); a transaction only when spans leave the state item for a year item or a referral reward falls due. What is over 4 is the index keys moved and the state items over 1 KB with their event.`,
  ].join(' ');
}

function conflictFinding(s: IngestSection, retries: number): string {
  const c = s.ingest.report.byEntry['projectors/household']!;
  return `**${int(retries)} household projector requests answered with an error** (of ${int((c.byOperation.TransactWriteItems ?? 0) + (c.byOperation.PutItem ?? 0))} conditional writes). With one household's events delivered one at a time (the ordered route), two deliveries can still meet in one partition when a referral passes a household on to another agency's copy while that agency's own events for it are delivered, and a redelivered duplicate is answered with its condition failing; each such request is read and written again.`;
}

function carerFinding(c: LongCarerResult, timeMet: boolean, largestMet: boolean): string {
  const text: string[] = [];
  if (!timeMet) {
    text.push(
      `**The ${c.years}-year carer's last tenth cost ${fixed(c.lastOverFirst, 2)} × its first per event** (${c.tenthsMsPerEvent.map((t) => ms(t)).join(', ')} ms per event, tenth by tenth). Each event in order reads the state item alone and writes it with the event on it; the state item keeps the year in force, so it grows through each year and shrinks at the next year's first event (${int(c.items)} items in the partition by the end, its year items among them). What is left between tenths is the machine (see the load average) and the state item's size within a year.`,
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

function queryFinding(one: QuerySummary, two: QuerySummary, ten: QuerySummary, profiles: ApprovedCarersProfile[]): string {
  const r = (a: number, b: number) => fixed(ratio(a, b), 2) ?? '–';
  const items = { vsOne: ratio(ten.itemsRead, one.itemsRead) ?? 0, vsTwo: ratio(ten.itemsRead, two.itemsRead) ?? 0 };
  const latency = { vsOne: ratio(ten.p50Ms, one.p50Ms) ?? 0, vsTwo: ratio(ten.p50Ms, two.p50Ms) ?? 0 };
  const perItem = (q: QuerySummary) => (q.itemsRead ? int(q.bytesRead / q.itemsRead) : '–');
  const text = [
    `**${one.route}: 10 y / 1 y = ${r(ten.itemsRead, one.itemsRead)} (items read), ${r(ten.p50Ms, one.p50Ms)} (p50 latency).** Items read ${int(one.itemsRead)} / ${int(two.itemsRead)} / ${int(ten.itemsRead)}, bytes read ${int(one.bytesRead)} / ${int(two.bytesRead)} / ${int(ten.bytesRead)} (${perItem(one)} / ${perItem(two)} / ${perItem(ten)} per item), p50 ${ms(one.p50Ms)} / ${ms(two.p50Ms)} / ${ms(ten.p50Ms)} ms with 1 / 2 / 10 years.`,
  ];
  const windowMiss = items.vsOne > TARGETS.historyRatio && items.vsTwo <= TARGETS.historyRatio;
  if (items.vsOne > TARGETS.historyRatio) {
    text.push(
      windowMiss
        ? `Items: against the 2-year history, which holds every window the question reads, 10 years read ${r(ten.itemsRead, two.itemsRead)} × the items; what grows from 1 year is ${windowNote(one.route)}, not history re-read.`
        : `Items: they grow with history even against the 2-year history (${r(ten.itemsRead, two.itemsRead)} ×): ${windowNote(one.route)}.`,
    );
  }
  if (latency.vsOne > TARGETS.historyRatio) {
    const bytes = ratio(ten.bytesRead, one.bytesRead) ?? 0;
    // Bytes growing a tenth more than the items: the items read are larger, not only more.
    const sizeGrows = bytes > items.vsOne * 1.1;
    const latencyText = [];
    if (windowMiss) latencyText.push(`Latency follows the items read (against the 2-year history it is ${r(ten.p50Ms, two.p50Ms)} ×)`);
    const readsCarers = ['Capacity', 'BedsOnHold', 'Sufficiency', 'ResignationForecast'].includes(one.route);
    if (sizeGrows && !readsCarers) {
      // Campaign conversion reads day items, not carers: their size follows the windows' activity.
      latencyText.push(
        `${windowMiss ? 'and' : 'Latency'} follows the bytes read: from 1 to 10 years DynamoDB's answers grow ${r(ten.bytesRead, one.bytesRead)} × for ${r(ten.itemsRead, one.itemsRead)} × the items, against the 2-year history ${r(ten.bytesRead, two.bytesRead)} × for ${r(ten.itemsRead, two.itemsRead)} ×: the items of the year before are larger, as the 1-year history holds there only the enquiries it opens with (a day item keeps a count per figure, campaign and channel and a marker per household that changed it, so a busier day is a larger item)`,
      );
    }
    if (sizeGrows && readsCarers) {
      const [p1, , p10] = profiles as [ApprovedCarersProfile, ApprovedCarersProfile, ApprovedCarersProfile];
      latencyText.push(
        `${windowMiss ? 'and' : 'Latency'} follows the bytes read: from 1 to 10 years DynamoDB's answers grow ${r(ten.bytesRead, one.bytesRead)} × for ${r(ten.itemsRead, one.itemsRead)} × the items (against the 2-year history ${r(ten.bytesRead, two.bytesRead)} × for ${r(ten.itemsRead, two.itemsRead)} ×, latency ${r(ten.p50Ms, two.p50Ms)} ×): the items are larger. The state items of the carers approved at the date grow from ${int(p1.meanBytes)} to ${int(p10.meanBytes)} bytes on average: their placements and holds ${int(p1.meanSpanBytes)} → ${int(p10.meanSpanBytes)} (a year at most: household-years.ts), their approval terms and resignation-risk flags ${int(p1.meanTermAndFlagBytes)} → ${int(p10.meanTermAndFlagBytes)} (those in force from the state item's year on; the earlier ones in the year items: household-years.ts), and the rest ${int(restBytes(p1))} → ${int(restBytes(p10))}, which is mostly the recruitment record (the enquiry, the stage dates and those dates' index keys) that ${recruitedShare(p1)} of the 1-year history's carers hold and ${recruitedShare(p10)} of the 10-year history's: a history opens with carers approved before it began. The figures read a part of each item (capacity, beds on hold and the trend the carer record; the forecast and the pipeline that and the risk flags, the forecast also the enquiry's reference, and of the applications running at the date the forecast record, which keeps of the recruitment record the application and the enquiry's reference and interests), so what still grows is the year's placements and holds (a year at most, more of them in the longer history) and the part of the recruitment record read for the running applications`,
      );
    }
    if (!windowMiss && !sizeGrows) {
      latencyText.push(
        `Latency grows more than the reads do (${r(ten.itemsRead, one.itemsRead)} × the items, ${r(ten.bytesRead, one.bytesRead)} × the bytes): the calls ran on a shared machine (see the load average), and the p50 of ${options.queryRuns} calls moves with it; a quieter machine would tell`,
      );
    }
    text.push(`${latencyText.join(' ')}.`);
  }
  if (windowMiss) {
    text.push(
      one.route === 'CampaignConversion'
        ? `What would meet the 10 y / 1 y target as stated: nothing a query can do. The question reads its window's day counts and the same days a year earlier (shared/store/conversion-counts.ts: an item per agency and day with activity, not per household), and a 1-year history has no activity a year earlier; counts kept per month instead would read about 12 items against none, the same ratio. Against the 2-year history the figure is within the target.`
        : `What would meet the 10 y / 1 y target as stated: not the query, which reads only the windows the figure is defined over (docs/metrics.md), the conversion rate's as at most 25 month items of outcomes kept from the table's stream (shared/store/conversion-counts.ts), not as households; a 1-year history leaves the earlier months empty.`,
    );
  }
  return text.join(' ');
}

/** What a question reads besides its own dates (README "Access patterns"). */
function windowNote(route: string): string {
  switch (route) {
    case 'CampaignConversion':
      return 'the same window a year earlier (`previousYear`, docs/metrics.md), which a 1-year history leaves empty';
    case 'Sufficiency':
    case 'ResignationForecast':
      return "the months of approvals and post-application closures behind the conversion rate (docs/metrics.md, resignation forecast: 730 days, at most 25 month items, kept from the table's stream), half of which lie before a 1-year history";
    case 'Capacity':
    case 'BedsOnHold':
      return 'the carers approved at the date, who are the answer itself';
    default:
      return 'what shared/queries/ reads for it';
  }
}

function importFinding(bundles: BundleResult[], sdkBundled: BundleResult | undefined): string {
  const over = bundles.filter((b) => b.importMs > TARGETS.importMs);
  const slowestWall = Math.max(...bundles.map((b) => b.importMs));
  const slowestCpu = Math.max(...bundles.map((b) => b.importCpuMs));
  const cpuWithin = slowestCpu <= TARGETS.importMs;
  const slowestEntry = bundles.find((b) => b.importMs === slowestWall)!;
  const ownMs = bundles.map((b) => b.importMs - b.sdkImportMs);
  return [
    `**Imports: ${over.length} of ${bundles.length} over ${TARGETS.importMs} ms** (slowest ${ms(slowestWall)} ms of wall time).`,
    cpuWithin
      ? `By CPU time the slowest import took ${ms(slowestCpu)} ms, within the target: the wall-time misses are waiting for a core on a machine shared with other work (see the load average), not the bundles' own cost.`
      : `By CPU time too the slowest import took ${ms(slowestCpu)} ms.`,
    `Of the slowest, requiring the AWS SDK packages the runtime provides (${slowestEntry.sdkPackages.join(', ')}) took ${ms(slowestEntry.sdkImportMs)} ms, the bundle itself ${ms(slowestEntry.importMs - slowestEntry.sdkImportMs)} ms; over every entry the SDK took ${ms(Math.min(...bundles.map((b) => b.sdkImportMs)))}–${ms(Math.max(...bundles.map((b) => b.sdkImportMs)))} ms and the bundles ${ms(Math.min(...ownMs))}–${ms(Math.max(...ownMs))} ms.`,
    ...(sdkBundled
      ? [
          `Bundling the SDK instead (measured: ${sdkBundled.entry} with every import in its bundle, ESM entry points first so esbuild tree-shakes the SDK) gives ${fixed(sdkBundled.bytes / KB)} KB and an import of ${ms(sdkBundled.importMs)} ms (CPU ${ms(sdkBundled.importCpuMs)} ms), against ${fixed(slowestEntry.bytes / KB)} KB and ${ms(slowestEntry.importMs)} ms with the runtime's copy: the SDK's cost is its own code being compiled and run, not resolving its files, so bundling it ${sdkBundled.importMs > TARGETS.importMs ? 'does not bring the import within the target, and' : 'brings the import within the target but'} puts the bundle ${sdkBundled.bytes > TARGETS.bundleBytes ? 'over' : 'within'} the size target.`,
        ]
      : []),
    `What would meet it: ${cpuWithin ? 'measuring on an idle machine (or in Lambda, arm64 and Node 22, where absolute times differ anyway); the smaller bundles of the finding above leave more margin' : 'a DynamoDB client lighter than the AWS SDK v3 (this project keeps to the SDK and its lib-dynamodb), or a runtime faster at compiling it (Lambda runs Node 22 on arm64: absolute times differ there); the smaller bundles of the finding above for the rest'}.`,
  ].join(' ');
}

/** Sizes in KB as `a–b`, or one figure when they are all the same. */
function kbRange(bytes: number[]): string {
  const low = fixed(Math.min(...bytes) / KB);
  const high = fixed(Math.max(...bytes) / KB);
  return low === high ? String(low) : `${low}–${high}`;
}

function bundleFinding(bundles: BundleResult[]): string {
  const over = bundles.filter((b) => b.bytes > TARGETS.bundleBytes);
  const within = bundles.filter((b) => b.bytes <= TARGETS.bundleBytes);
  const parts = new Map<string, number>();
  for (const b of over) for (const p of b.byPackage) parts.set(p.name, Math.max(parts.get(p.name) ?? 0, p.bytes));
  const largest = [...parts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${fixed(bytes / KB)} KB`)
    .join(', ');
  // What puts them over: the packages no bundle within the limit carries, and the size without them.
  const carriedWithin = new Set(within.flatMap((b) => b.byPackage.map((p) => p.name)));
  const ownParts = (b: BundleResult) => b.byPackage.filter((p) => !carriedWithin.has(p.name));
  const groups = new Map<string, BundleResult[]>();
  for (const b of over) {
    const key = ownParts(b)
      .map((p) => p.name)
      .join(' + ');
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const causes = [...groups].map(([key, members]) => {
    const sizes = members.map((b) => b.bytes);
    const without = members.map((b) => b.bytes - ownParts(b).reduce((sum, p) => sum + p.bytes, 0));
    const entries = members.length > 3 ? `${members.length} entries, e.g. ${members[0]!.entry}` : members.map((b) => b.entry).join(', ');
    return key
      ? `${key} (only in ${entries}: ${kbRange(sizes)} KB, without it ${kbRange(without)} KB)`
      : `nothing the bundles within the limit lack (${entries}): their shared parts are larger there`;
  });
  return (
    `**Bundles: ${over.length} of ${bundles.length} over ${TARGETS.bundleBytes / KB} KB** (${over.map((b) => b.entry).join(', ')}). Their largest parts: ${largest}. ` +
    `What the bundles over the limit carry and none within it does: ${causes.join('; ')}. ` +
    'If zod (locales) is among them, something imports zod as `{ z }`, which makes esbuild keep its whole namespace: import it as `* as z` (shared/events/envelope.ts says why). Otherwise what would meet it is leaving those parts out of the entries that carry them.'
  );
}

// ---- Main ----

async function main(): Promise<void> {
  const m = machine();
  let ingest: IngestSection | undefined;
  let carer: LongCarerResult | undefined;
  let queries: QueriesSection | undefined;
  let bundles: BundleResult[] | undefined;
  let sdkBundled: BundleResult | undefined;

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
    const slowest = bundles.reduce((a, b) => (b.importMs > a.importMs ? b : a));
    log(`the slowest, ${slowest.entry}, with the SDK bundled too...`);
    [sdkBundled] = await measureColdStarts({ runs: options.importRuns, entries: [slowest.entry], sdkBundled: true, log });
  }

  const markdown = render(m, ingest, carer, queries, bundles, sdkBundled);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${markdown}\n`);
  console.log(markdown);
  log(`\nwritten to ${relative(process.cwd(), options.out) || options.out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
