// `npm run dead-letters` finds the demo's dead letters as well as `npm start`'s: the demo keeps its
// data in its own folder inside DATA_DIR, and a newcomer who ran the demo looks with the same command.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeadLetterStore } from '../../local/dead-letters/store';
import { demoDataDir, localDataDirs } from '../../tools/local-data';

const run = (dataDir: string, ...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/dead-letters.ts', ...args], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, DATA_DIR: dataDir },
  });

const letter = (eventId: string) => ({
  route: 'HouseholdProjector',
  attempts: 3,
  reason: 'invalid HouseholdApproved: approvedBeds',
  event: {
    version: '0',
    id: `bus-${eventId}`,
    source: 'fostering.recruitment',
    account: '000000000000',
    time: '2019-07-01T10:00:00Z',
    region: 'eu-west-2',
    resources: [],
    'detail-type': 'HouseholdApproved',
    detail: { eventId },
  },
});

describe('the dead-letter tools look where npm start and the demo keep their data', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'dead-letters-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names DATA_DIR and the demo folder inside it, once each', () => {
    expect(localDataDirs(dataDir)).toEqual([
      { dir: dataDir, what: 'npm start' },
      { dir: join(dataDir, 'demo'), what: 'npm run demo' },
    ]);
    // DATA_DIR=.local/demo npm start (a kept demo reopened): that folder is its own.
    expect(localDataDirs(demoDataDir(dataDir)).map((d) => d.dir)).toEqual([join(dataDir, 'demo'), join(dataDir, 'demo', 'demo')]);
  });

  it("lists the demo's dead letters beside npm start's", async () => {
    await new DeadLetterStore(demoDataDir(dataDir)).add(letter('from-the-demo'));
    const { stdout } = await run(dataDir);
    expect(stdout).toContain(`No dead letters in ${join(dataDir, 'dead-letters.jsonl')} (npm start).`);
    expect(stdout).toContain(`1 dead letter(s) in ${join(dataDir, 'demo', 'dead-letters.jsonl')} (npm run demo):`);
    expect(stdout).toContain('HouseholdProjector  fostering.recruitment HouseholdApproved  event bus-from-the-demo');

    const { stdout: json } = await run(dataDir, '--json');
    expect(
      json
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event.detail.eventId),
    ).toEqual(['from-the-demo']);
  });
});
