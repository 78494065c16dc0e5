// `npm run synth` as a fresh clone runs it (the CDK CLI, esbuild, cdk-nag): only a synth through the
// CLI, which gives the stack a concrete region, shows whether a deploy can start.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repositoryRoot = path.resolve(__dirname, '../..');
const cdk = path.join(repositoryRoot, 'node_modules', '.bin', 'cdk');

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) fs.rmSync(outdir, { recursive: true, force: true });
});

/** Runs the CDK CLI (`cdk synth --quiet`, or `cdk ls`) with the region the environment gives it (none: no AWS config at all). */
async function runCdk(region: string | undefined, command: 'synth' | 'ls' = 'synth') {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
  outdirs.push(outdir);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (/^(AWS_|CDK_)/.test(name)) delete env[name];
  // As on a machine where AWS was never configured: no profile, no config or credentials file.
  env.AWS_CONFIG_FILE = path.join(outdir, 'no-aws-config');
  env.AWS_SHARED_CREDENTIALS_FILE = path.join(outdir, 'no-aws-credentials');
  if (region) env.AWS_REGION = region;
  // No instance metadata to wait for, no notices or telemetry to fetch: this machine is offline to AWS.
  env.AWS_EC2_METADATA_DISABLED = 'true';
  env.CDK_DISABLE_CLI_TELEMETRY = 'true';
  const started = Date.now();
  try {
    const args = command === 'synth' ? ['synth', '--quiet'] : ['ls', '--long'];
    await run(cdk, [...args, '--no-notices', '--output', outdir], { cwd: repositoryRoot, env, maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`cdk ${command} failed with AWS_REGION=${region ?? '(unset)'}:\n${stderr ?? ''}\n${stdout ?? ''}`, { cause: error });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; environment?: string }>;
  };
  const bundles = fs.readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath?: string }[] }[] }[];
  };
  // Every plugin's: both cdk-nag packs and CloudFormation's own template validation (which only
  // warns in the CLI's output, though CloudFormation would refuse what it finds at deployment).
  const nagFindings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath ?? ''}`)),
  );
  return { seconds: (Date.now() - started) / 1000, environment: manifest.artifacts.FosteringStack?.environment, bundles, nagFindings };
}

// Both at once: the synth is mostly esbuild and the CLI waiting on child processes.
const synths = Promise.all([runCdk('eu-west-2'), runCdk(undefined, 'ls')]);
synths.catch(() => undefined); // reported by the tests that await it

describe('the CDK CLI as npm run synth runs it (every function bundled, cdk-nag on), with a region and without', () => {
  it('synthesises with AWS_REGION=eu-west-2, for that region', async () => {
    const [inLondon] = await synths;
    expect(inLondon.environment).toBe('aws://unknown-account/eu-west-2');
    expect(inLondon.bundles.length).toBeGreaterThan(30);
    expect(inLondon.nagFindings).toEqual([]);
  }, 540_000);

  // `cdk ls` runs the same app without bundling (the synth above checks that), and cdk-nag's report,
  // which ls does not fail on, is read from its output.
  it('synthesises on a machine with no region configured (the CLI then names us-east-1), with no cdk-nag finding left', async () => {
    const [, unconfigured] = await synths;
    expect(unconfigured.environment).toBe('aws://unknown-account/us-east-1');
    expect(unconfigured.nagFindings).toEqual([]);
  }, 540_000);
});
