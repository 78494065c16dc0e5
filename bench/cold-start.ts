// Cold start: every Lambda entry bundled as NodejsFunction bundles it (esbuild with
// infra/fostering-function.ts's FOSTERING_BUNDLING, plus NodejsFunction's own defaults: --bundle,
// --platform=node, and `@aws-sdk/*` external because the Node 22 runtime provides it), then
// imported in fresh Node processes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { FOSTERING_BUNDLING } from '../infra/fostering-function';
import { apiRoutes, handlerOf } from '../shared/wiring/http-routes';
import { eventRoutes } from '../shared/wiring/event-routes';
import { tableDefinitions } from '../shared/store/tables';
import { median } from './stats';

const repositoryRoot = resolve(__dirname, '..');

/** NodejsFunction's default externals for a Node ≥18 runtime; `@smithy/*` too only under this feature flag. */
export function sdkExternals(): string[] {
  const context =
    (JSON.parse(readFileSync(join(repositoryRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  const smithyToo = context['@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages'] === true;
  return smithyToo ? ['@aws-sdk/*', '@smithy/*'] : ['@aws-sdk/*'];
}

export interface BundleResult {
  entry: string;
  bytes: number;
  importMs: number;
  importSamplesMs: number[];
  /** CPU time of the same imports (median): less sensitive than wall time to other work on the machine. */
  importCpuMs: number;
  /** Of the import's wall time (median), what requiring the SDK packages the bundle leaves to the runtime took. */
  sdkImportMs: number;
  /** Those packages (the bundle's external imports, Node's own modules left out). */
  sdkPackages: string[];
  /** Bytes of the minified output by npm package ('(own code)' for the repo's), largest first. */
  byPackage: Array<{ name: string; bytes: number }>;
}

/** The handler entries the stack deploys, each once. */
export function lambdaEntries(): string[] {
  return [
    ...new Set([...apiRoutes.map(handlerOf), ...eventRoutes.flatMap((r) => [r.handler, ...(r.ordered ? [r.ordered.router] : [])])]),
  ].sort();
}

export async function measureColdStarts(options: {
  runs: number;
  entries?: string[];
  log: (line: string) => void;
}): Promise<BundleResult[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'fostering-bench-bundles-'));
  const externals = sdkExternals();
  const results: BundleResult[] = [];
  try {
    for (const entry of options.entries ?? lambdaEntries()) {
      const outfile = join(outDir, entry.replaceAll('/', '__'), 'index.js');
      const settings: BuildOptions = {
        entryPoints: [join(repositoryRoot, 'functions', `${entry}.ts`)],
        bundle: true,
        platform: 'node',
        target: FOSTERING_BUNDLING.target,
        format: FOSTERING_BUNDLING.format,
        minify: FOSTERING_BUNDLING.minify,
        sourcemap: FOSTERING_BUNDLING.sourceMap,
        sourcesContent: FOSTERING_BUNDLING.sourcesContent,
        logLevel: FOSTERING_BUNDLING.logLevel,
        external: externals,
      };
      const { metafile } = await build({ ...settings, outfile, metafile: true });
      const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!;
      const sdkPackages = [...new Set(output.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path))].sort();
      const importSamplesMs: number[] = [];
      const importCpuSamplesMs: number[] = [];
      const sdkSamplesMs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const sample = await timeImport(outfile, sdkPackages);
        importSamplesMs.push(sample.wallMs);
        importCpuSamplesMs.push(sample.cpuMs);
        sdkSamplesMs.push(sample.sdkWallMs);
      }
      const result = {
        entry,
        bytes: statSync(outfile).size,
        importMs: median(importSamplesMs)!,
        importSamplesMs,
        importCpuMs: median(importCpuSamplesMs)!,
        sdkImportMs: median(sdkSamplesMs)!,
        sdkPackages,
        byPackage: bytesByPackage(output.inputs),
      };
      options.log(`  ${entry}: ${result.bytes} B, import ${result.importMs.toFixed(1)} ms`);
      results.push(result);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return results;
}

/** The npm package a bundled file comes from; zod's locales apart, being the largest part of zod. */
export function packageOf(path: string): string {
  const inPackage = path.slice(path.lastIndexOf('node_modules/'));
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inPackage);
  if (!match) return '(own code)';
  return match[1] === 'zod' && inPackage.includes('/locales/') ? 'zod (locales)' : match[1]!;
}

function bytesByPackage(inputs: Record<string, { bytesInOutput: number }>): Array<{ name: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs))
    totals.set(packageOf(path), (totals.get(packageOf(path)) ?? 0) + bytesInOutput);
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * A fresh `node` that requires the bundle, timed inside that process (the require alone, not Node's
 * own start). The SDK packages the bundle imports are required first, timed apart: the total is
 * the same as requiring the bundle alone, and their share is the part the bundle does not decide.
 * Lambda's environment as far as it matters at import: source maps on (as the stack sets
 * NODE_OPTIONS), the env vars the functions get, and the SDK resolvable from outside the bundle
 * (here the repo's node_modules, in Lambda the runtime's).
 */
async function timeImport(bundle: string, sdkPackages: readonly string[]): Promise<{ wallMs: number; cpuMs: number; sdkWallMs: number }> {
  const script = `const t=performance.now(),c=process.cpuUsage();for(const p of ${JSON.stringify(sdkPackages)})require(p);const s=performance.now();require(${JSON.stringify(bundle)});const u=process.cpuUsage(c);process.stdout.write(JSON.stringify([performance.now()-t,(u.user+u.system)/1000,s-t]))`;
  const tables = Object.fromEntries(tableDefinitions.map((t) => [t.envVar, t.id]));
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: tmpdir(),
    env: {
      PATH: process.env.PATH,
      NODE_PATH: join(repositoryRoot, 'node_modules'),
      NODE_OPTIONS: '--enable-source-maps',
      AWS_REGION: 'eu-west-2',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      POWERTOOLS_SERVICE_NAME: 'fostering-recruitment',
      EVENT_BUS_NAME: 'fostering',
      ...tables,
    },
  });
  const [wallMs, cpuMs, sdkWallMs] = JSON.parse(stdout) as number[];
  if (![wallMs, cpuMs, sdkWallMs].every(Number.isFinite)) throw new Error(`could not time the import of ${bundle}: ${stdout}`);
  return { wallMs: wallMs!, cpuMs: cpuMs!, sdkWallMs: sdkWallMs! };
}
