// `npm run demo`, run as a newcomer runs it: a child process on free ports with its own DATA_DIR
// generates a small region history (its hub answering most web enquiries and handing households to
// the councils), replays it through the local bus and prints a summary per agency and the hub's line.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_REGION, generateRegionHistory } from '../../tools/demo/history';
import { capacity } from '../../shared/domain/capacity';
import type { HubFiguresAnswer } from '../../shared/domain/hub-figures';
import { foldHousehold } from '../../shared/domain/household';
import { householdDetailTypes, type DomainEvent, type HouseholdEvent } from '../../shared/events/catalogue';
import { DYNAMODB_LOCAL_MAIN_CLASS } from '../../local/dynamodb-local-classes';
import { signLocalToken } from '../../local/tokens';
import { councilsOfRegion, hubOfRegion } from '../../shared/wiring/regions';
import { freePort } from '../support/running-stack';

const seed = '7';
const years = 2;
const until = '2025-03-31';
const scale = 0.05;
const demoArgs = ['--seed', seed, '--years', String(years), '--until', until, '--scale', String(scale)];
const agencyIds = councilsOfRegion(DEMO_REGION)!;
const hubAgencyId = hubOfRegion(DEMO_REGION)!;
const dataDir = mkdtempSync(join(tmpdir(), 'fostering-demo-'));

interface Demo {
  child: ChildProcess;
  apiUrl: string;
  dynamoDbPort: number;
  stdout: () => string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startDemo(options: { dataDir?: string } = {}, ...extra: string[]): Promise<Demo> {
  const [port, eventsPort, dynamoDbPort] = [await freePort(), await freePort(), await freePort()];
  // As `npm run demo` runs it: `node --import tsx`, one process, which gets the SIGINT itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/demo/cli.ts', ...demoArgs, ...extra], {
    cwd: join(__dirname, '../..'),
    env: {
      ...process.env,
      PORT: String(port),
      EVENTS_PORT: String(eventsPort),
      DYNAMODB_PORT: String(dynamoDbPort),
      DATA_DIR: options.dataDir ?? dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, apiUrl: `http://127.0.0.1:${port}`, dynamoDbPort, stdout: () => stdout, output: () => output, exited };
}

/** Waits until the demo has printed the text (on stdout, or with `stderr` on either), or `until` holds. */
async function waitFor(
  demo: Demo,
  text: string,
  timeoutMs: number,
  { stderr = false, until }: { stderr?: boolean; until?: () => boolean } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(stderr ? demo.output() : demo.stdout()).includes(text) && !until?.()) {
    if (demo.child.exitCode !== null || demo.child.signalCode !== null)
      throw new Error(`the demo exited (${demo.child.exitCode ?? demo.child.signalCode}) before printing "${text}":\n${demo.output()}`);
    if (Date.now() > deadline) throw new Error(`the demo did not print "${text}" within ${timeoutMs} ms:\n${demo.output()}`);
    await new Promise((r) => setTimeout(r, until ? 20 : 200));
  }
}

/** The DynamoDB Local JVMs running on the port: the lines of `ps` that name its main class and the port. */
function dynamoDbLocalsOn(port: number): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(DYNAMODB_LOCAL_MAIN_CLASS) && new RegExp(`-port ${port}( |$)`).test(line));
}

/** Sends SIGINT, as Ctrl-C does, and expects exit code 0 and no DynamoDB Local left on the demo's port. */
async function expectCtrlCToStop(demo: Demo): Promise<void> {
  demo.child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    demo.exited,
    new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), 30_000))),
  ]);
  clearTimeout(timer);
  if (code === 'still running') demo.child.kill('SIGKILL');
  expect({ code, output: code === 0 ? '' : demo.output() }).toEqual({ code: 0, output: '' });
  expect(demo.output()).toContain('SIGINT: stopping the local stack...');
  // The demo waits for its JVM to exit before it does; a JVM killed as it exits is gone within moments.
  const deadline = Date.now() + 5_000;
  while (dynamoDbLocalsOn(demo.dynamoDbPort).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(dynamoDbLocalsOn(demo.dynamoDbPort)).toEqual([]);
}

interface PrintedRow {
  households: number;
  approvedBeds: number;
  bedsOnHold: number;
  inAssessment: number;
  inHouseShare: number | null;
  enquiries: number;
  approvals: number;
  resignations: number;
}

/** The summary as printed: the date, the financial year, and one row per agency under the header. */
function printedSummary(stdout: string): { at: string; financialYear: number; table: string; rows: Record<string, PrintedRow> } {
  const stated = /Figures at (\d{4}-\d{2}-\d{2}) \(FY(\d{4}) = /.exec(stdout);
  if (!stated) throw new Error(`no "Figures at" line in:\n${stdout}`);
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => line.startsWith('agency '));
  const end = lines.findIndex((line, i) => i > header && line.trim() === '');
  const body = lines.slice(header + 1, end);
  const rows = Object.fromEntries(
    body.map((line) => {
      const [agencyId, households, approvedBeds, bedsOnHold, inAssessment, share, enquiries, approvals, resignations] = line
        .trim()
        .split(/\s+/);
      return [
        agencyId!,
        {
          households: Number(households),
          approvedBeds: Number(approvedBeds),
          bedsOnHold: Number(bedsOnHold),
          inAssessment: Number(inAssessment),
          // "62.13%" is the API's 0.6213 (4 dp).
          inHouseShare: share === 'n/a' ? null : Number((Number(share!.replace('%', '')) / 100).toFixed(4)),
          enquiries: Number(enquiries),
          approvals: Number(approvals),
          resignations: Number(resignations),
        },
      ];
    }),
  );
  return { at: stated[1]!, financialYear: Number(stated[2]), table: lines.slice(header, end).join('\n'), rows };
}

/** What the API answers a manager of the agency, asked by this test. */
async function apiFigures(apiUrl: string, agencyId: string, at: string, financialYear: number): Promise<PrintedRow> {
  const token = await signLocalToken({ groups: ['manager'], agencyId });
  const read = async (path: string) => {
    const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect([path, response.status]).toEqual([path, 200]);
    return response.json() as Promise<any>;
  };
  const places = await read(`/metrics/capacity?at=${at}`);
  const sufficiency = await read(`/metrics/sufficiency?at=${at}`);
  const annualReturn = await read(`/metrics/annual-return?financialYear=${financialYear}`);
  return {
    households: places.households,
    approvedBeds: places.approvedBeds,
    bedsOnHold: places.bedsOnHold,
    inAssessment: sufficiency.pipeline.inAssessment,
    inHouseShare: sufficiency.inHouseShare,
    enquiries: annualReturn.enquiries,
    approvals: annualReturn.approvals,
    resignations: annualReturn.deregistrations.total,
  };
}

/** Capacity at the date, folded from the generated events of one agency. */
function foldedCapacity(events: readonly DomainEvent[], agencyId: string, at: string) {
  const byHousehold = new Map<string, HouseholdEvent[]>();
  for (const event of events) {
    if (event.detail.agencyId !== agencyId || !(householdDetailTypes as readonly string[]).includes(event.detailType)) continue;
    const { householdId } = (event as HouseholdEvent).detail;
    byHousehold.set(householdId, [...(byHousehold.get(householdId) ?? []), event as HouseholdEvent]);
  }
  const folded = capacity(
    at,
    [...byHousehold].map(([householdId, list]) => foldHousehold(agencyId, householdId, list)),
  );
  return { households: folded.households, approvedBeds: folded.approvedBeds, bedsOnHold: folded.bedsOnHold };
}

let firstRun: ReturnType<typeof printedSummary>;

// The second run, on disk, starts with the first, on its own ports and DATA_DIR: it spends much of its
// time waiting on the disk, which the first run's CPU fills. (Each demo starts from a fresh database.)
const persistedDir = mkdtempSync(join(tmpdir(), 'fostering-demo-'));
let persisted: Demo | undefined;
beforeAll(async () => {
  persisted = await startDemo({ dataDir: persistedDir }, '--persist', '--exit');
});

afterAll(() => {
  if (persisted?.child.exitCode === null && persisted.child.signalCode === null) persisted.child.kill('SIGKILL');
  for (const dir of [dataDir, persistedDir]) rmSync(dir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('prints, per agency, the figures the API answers for the same agency and date, then serves them until Ctrl-C', async () => {
    const demo = await startDemo();
    try {
      await waitFor(demo, 'Ctrl-C stops everything.', 150_000);
      firstRun = printedSummary(demo.stdout());
      expect({ at: firstRun.at, financialYear: firstRun.financialYear, agencies: Object.keys(firstRun.rows) }).toEqual({
        at: until,
        financialYear: 2024,
        agencies: [...agencyIds],
      });
      expect(demo.stdout()).toContain(`Dashboard:     ${demo.apiUrl}/`);
      expect(demo.stdout()).toContain('npm run token -- --group manager --agency cambs');
      expect(demo.stdout()).toContain('none dead-lettered');
      expect(demo.stdout()).toContain('The data:      in memory');
      // The progress bar, one line per tenth when not on a terminal, and its last line.
      expect(demo.output()).toMatch(/Replaying \[█{24}\] 100%/);

      const events = generateRegionHistory({ seed, agencyIds, fromYear: 2024, years, scale, until, hubAgencyId });
      for (const agencyId of agencyIds) {
        const printed = firstRun.rows[agencyId]!;
        expect({ agencyId, ...printed }).toEqual({ agencyId, ...(await apiFigures(demo.apiUrl, agencyId, until, 2024)) });
        expect({ agencyId, households: printed.households, approvedBeds: printed.approvedBeds, bedsOnHold: printed.bedsOnHold }).toEqual({
          agencyId,
          ...foldedCapacity(events, agencyId, until),
        });
      }
      // Small, but a service's figures all the same: carers, recruitment and children in care.
      const totals = Object.values(firstRun.rows);
      expect(totals.every((row) => row.households > 0 && row.enquiries > 0 && row.inHouseShare !== null)).toBe(true);
      // The hub took most web enquiries and handed households to more than one council, some of
      // whom applied there: the printed line is the hub's manager's GET /metrics/hub for the year.
      const token = await signLocalToken({ groups: ['manager'], agencyId: hubAgencyId });
      const hub = (await (
        await fetch(`${demo.apiUrl}/metrics/hub?from=2024-04-01&to=2025-03-31`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as HubFiguresAnswer;
      const councils = Object.entries(hub.byCouncil);
      expect(demo.stdout()).toContain(
        `The hub ${hubAgencyId}, FY2024: ${hub.enquiries} enquiries, ${hub.handedOver} handed over (${councils.map(([c, f]) => `${c} ${f.handedOver}`).join(', ')}), ${hub.applications} applications, ${hub.approvals} approvals`,
      );
      expect({ councils: councils.length > 1, applications: hub.applications > 0 }).toEqual({ councils: true, applications: true });
      const deadLetters = await (await fetch(`${demo.apiUrl}/_local/dead-letters`)).json();
      expect(deadLetters).toEqual({ deadLetters: [] });
    } finally {
      await expectCtrlCToStop(demo);
    }
  }, 180_000);

  it('prints the same figures when run again with the same seed, on disk, and stops by itself with --exit', async () => {
    const demo = persisted!;
    const code = await demo.exited;
    expect({ code, output: code === 0 ? '' : demo.output() }).toEqual({ code: 0, output: '' });
    expect(printedSummary(demo.stdout()).table).toBe(firstRun.table);
    expect(demo.stdout()).not.toContain('Ctrl-C');
    expect(existsSync(join(persistedDir, 'demo', 'dynamodb'))).toBe(true);
  }, 180_000);

  // Both at once, each with its own ports and data: most of their time is a JVM starting.
  it('stops at Ctrl-C with exit code 0, leaving no DynamoDB Local running, while DynamoDB Local starts and during the replay', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'fostering-demo-')), mkdtempSync(join(tmpdir(), 'fostering-demo-'))];
    try {
      await Promise.all([
        (async () => {
          // As soon as its JVM is running: DynamoDB Local takes seconds more to answer.
          const demo = await startDemo({ dataDir: dirs[0] });
          await waitFor(demo, 'DynamoDB Local started', 60_000, {
            stderr: true,
            until: () => dynamoDbLocalsOn(demo.dynamoDbPort).length > 0,
          });
          await expectCtrlCToStop(demo);
        })(),
        (async () => {
          const demo = await startDemo({ dataDir: dirs[1] });
          await waitFor(demo, 'Replaying [', 90_000, { stderr: true });
          await expectCtrlCToStop(demo);
        })(),
      ]);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
