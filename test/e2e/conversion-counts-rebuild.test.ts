// `npm run conversion-counts` as an operator runs it (docs/deploy.md): it refuses while `npm start`
// runs (the stream reader would write the counts meanwhile), rewrites an agency's counts from the
// stored households once it is stopped, and the restarted stack answers the same figures.
// Repairing lost or stray counts is shown against DynamoDB Local in test/integration/conversion-counts.test.ts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRunningStack, tokenFor, type RunningStack } from '../support/running-stack';

let stack: RunningStack | undefined;
let restarted: RunningStack | undefined;

afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
});

/** The CLI, run as `npm run conversion-counts -- …` runs it, against the stack's DATA_DIR and ports. */
async function rebuild(of: RunningStack, ...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/conversion-counts.ts', ...args], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, DATA_DIR: of.dataDir, DYNAMODB_PORT: String(of.dynamoDbPort) },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

it('refuses while the stack runs, then rewrites the counts from the stored households, which give the same figures', async () => {
  stack = await startRunningStack();
  const recruitment = await tokenFor('cambs', 'recruitment');
  const manager = await tokenFor('cambs', 'manager');
  const ids: string[] = [];
  for (const [day, channel] of [
    ['2019-06-03', 'website'],
    ['2019-06-04', 'phone'],
  ]) {
    const answer = await stack.call('POST', '/enquiries', {
      token: recruitment,
      body: { channel, occurredAt: `${day}T11:00:00Z`, contact: { name: `Enquirer ${channel}`, email: `${channel}@example.org` } },
    });
    expect(answer.status).toBe(202);
    ids.push(answer.body.householdId as string);
  }
  const visit = await stack.call('POST', `/households/${ids[0]}/initial-visit`, {
    token: recruitment,
    body: { occurredAt: '2019-06-10T10:00:00Z' },
  });
  expect(visit.status).toBe(202);
  await stack.idle();
  const figures = (of: RunningStack) =>
    of.call('GET', '/metrics/campaign-conversion?from=2019-04-01&to=2020-03-31&groupBy=channel', { token: manager });
  const before = await figures(stack);
  expect([before.status, before.body.cohort.enquiries, before.body.cohort.initialVisits]).toEqual([200, 2, 1]);

  const refused = await rebuild(stack, '--agency', 'cambs');
  expect(refused.code).toBe(1);
  expect(refused.output).toContain('stop `npm start` first');

  await stack.stop({ keepData: true });
  const rebuilt = await rebuild(stack, '--agency', 'cambs');
  expect([rebuilt.code, rebuilt.output]).toEqual([
    0,
    expect.stringContaining('cambs: the conversion counts of 2 households rewritten: 3 day and month items written, 0 removed.'),
  ]);

  restarted = await startRunningStack({ sameAs: stack });
  await restarted.idle();
  expect(await figures(restarted)).toEqual(before);
}, 180_000);
