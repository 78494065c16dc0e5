// Queries: every metric endpoint of the route table, over HTTP as a client calls it (local JWT,
// the HTTP server, the handler, DynamoDB Local), timed at the client; the DynamoDB items each call
// read are counted in the runtime (ScannedCount, the same figure ReadTally counts).
import { apiRoutes, type ApiRoute } from '../shared/wiring/http-routes';
import { addDays, addYears, financialYearOf, type IsoDate } from '../shared/domain/calendar';
import { signLocalToken } from '../local/tokens';
import type { DynamoDbCounts } from './dynamodb-counter';
import { median, percentile } from './stats';
import type { RuntimeWorker } from './worker-client';

export interface QueryCase {
  route: string;
  path: string;
}

/** Metric routes a council's manager may not ask (a hub's figures: its managers' and its region's), so
 *  not asked by the bench, whose readers are councils and a region that names no hub. */
export const NOT_BENCHED: readonly string[] = ['HubFigures'];

/** The metric routes, each with a question about the window ending on `at`. */
export function metricCases(at: IsoDate): { cases: QueryCase[]; skipped: string[] } {
  const fy = financialYearOf(at);
  const parameters: Record<string, string> = {
    CampaignConversion: `from=${addDays(addYears(at, -1), 1)}&to=${at}`,
    Capacity: `at=${at}`,
    BedsOnHold: `at=${at}`,
    Sufficiency: `at=${at}`,
    ResignationForecast: `financialYear=${fy}&asOf=${at}`,
    // The year so far.
    AnnualReturn: `financialYear=${fy}`,
    // docs/rules.md, the working day: the year's enquiries under their follow-up state at the date, and the year's timeliness.
    CaseloadCounts: `on=${at}&from=${addDays(addYears(at, -1), 1)}&to=${at}`,
    Timeliness: `from=${addDays(addYears(at, -1), 1)}&to=${at}`,
  };
  const metricRoutes = (apiRoutes as readonly ApiRoute[]).filter(
    (r) => r.method === 'GET' && r.path.startsWith('/metrics/') && !NOT_BENCHED.includes(r.name),
  );
  return {
    cases: metricRoutes.filter((r) => parameters[r.name]).map((r) => ({ route: r.name, path: `${r.path}?${parameters[r.name]}` })),
    skipped: metricRoutes.filter((r) => !parameters[r.name]).map((r) => r.name),
  };
}

export interface QuerySamples {
  route: string;
  path: string;
  /** The reader: an agency, or a region. */ agencyId: string;
  latenciesMs: number[];
  counts: DynamoDbCounts[];
}

export interface QuerySummary {
  route: string;
  path: string;
  agencyId: string;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  /** Items read per call (the median; every call of a case reads the same unless data changes). */
  itemsRead: number;
  /** Read capacity units (4 KB each, so they grow with the items' size too). */
  readUnits: number;
  /** Bytes of DynamoDB's answers (each item's own size, below the 4 KB a read unit rounds to). */
  bytesRead: number;
  requests: number;
}

export function summarizeQuery(s: QuerySamples): QuerySummary {
  return {
    route: s.route,
    path: s.path,
    agencyId: s.agencyId,
    runs: s.latenciesMs.length,
    p50Ms: percentile(s.latenciesMs, 50)!,
    p99Ms: percentile(s.latenciesMs, 99)!,
    itemsRead: median(s.counts.map((c) => c.itemsRead))!,
    readUnits: median(s.counts.map((c) => c.readUnits))!,
    bytesRead: median(s.counts.map((c) => c.bytesRead))!,
    requests: median(s.counts.map((c) => c.requests))!,
  };
}

/** Who asks: an agency's manager, or a region's regional reader (its figures pooled over its agencies). */
export type Reader = { agencyId: string } | { regionId: string };
const readerName = (reader: Reader) => ('agencyId' in reader ? reader.agencyId : reader.regionId);

/**
 * Runs each case `runs` times (after `warmup` untimed calls) for each reader, interleaved (run i of
 * every case and reader before run i+1), so noise from other work on the machine spreads evenly.
 */
export async function runQueries(
  worker: RuntimeWorker,
  readers: Reader[],
  cases: QueryCase[],
  runs: number,
  warmup: number,
): Promise<QuerySamples[]> {
  const tokens = new Map(
    await Promise.all(
      readers.map(
        async (reader) =>
          [
            readerName(reader),
            await signLocalToken(
              'agencyId' in reader
                ? { groups: ['manager'], agencyId: reader.agencyId }
                : { groups: ['regional'], regionId: reader.regionId },
            ),
          ] as const,
      ),
    ),
  );
  const samples = readers
    .map(readerName)
    .flatMap((agencyId) => cases.map((c) => ({ ...c, agencyId, latenciesMs: [] as number[], counts: [] as DynamoDbCounts[] })));
  await worker.request({ type: 'take-api-invocations' }, 'api-invocations');
  for (let run = -warmup; run < runs; run++) {
    for (const sample of samples) {
      const started = performance.now();
      const response = await fetch(`${worker.apiUrl}${sample.path}`, {
        headers: { authorization: `Bearer ${tokens.get(sample.agencyId)}` },
      });
      const body = await response.text();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${sample.path} for ${sample.agencyId}: ${response.status} ${body.slice(0, 500)}`);
      const { invocations } = await worker.request({ type: 'take-api-invocations' }, 'api-invocations');
      if (invocations.length !== 1) throw new Error(`expected one handler invocation for GET ${sample.path}, saw ${invocations.length}`);
      if (run < 0) continue;
      sample.latenciesMs.push(elapsed);
      sample.counts.push(invocations[0]!.counts);
    }
  }
  return samples;
}
