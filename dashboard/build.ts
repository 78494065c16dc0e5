// `npm run build:dashboard`: bundles the dashboard (src/) into dist/ with esbuild. The local runtime
// serves dist/ at `/`; the CDK stack runs the same build when it packages the site (infra/dashboard.ts).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { DASHBOARD_BUILD_DIR, DASHBOARD_SOURCE_DIR } from './paths';

/** Files copied as they are, beside the bundle. */
const STATIC_FILES = ['index.html', 'styles.css'];

/**
 * Synchronous, because CDK's local bundling hook is. Each file is replaced whole (written beside, then
 * renamed over it), never removed first: a stack serving dist/ (another test's, or `npm start`) while
 * this runs serves the old file or the new one, never a missing or half-written one.
 */
export function buildDashboard(outDir: string = DASHBOARD_BUILD_DIR): void {
  mkdirSync(outDir, { recursive: true });
  const { outputFiles } = buildSync({
    entryPoints: [join(DASHBOARD_SOURCE_DIR, 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    tsconfig: join(__dirname, 'tsconfig.json'),
    logLevel: 'warning',
    write: false,
  });
  const files = new Map<string, Uint8Array>(outputFiles.map((file) => [file.path, file.contents]));
  for (const file of STATIC_FILES) files.set(join(outDir, file), readFileSync(join(DASHBOARD_SOURCE_DIR, file)));
  const writing = `.${process.pid}.tmp`;
  for (const [path, contents] of files) {
    writeFileSync(path + writing, contents);
    renameSync(path + writing, path);
  }
  // What an older build left and this one does not write (another build's files in writing excepted).
  for (const name of readdirSync(outDir)) {
    if (!files.has(join(outDir, name)) && !name.endsWith('.tmp')) rmSync(join(outDir, name), { recursive: true, force: true });
  }
}

if (require.main === module) {
  buildDashboard();
  console.log(`dashboard built into ${DASHBOARD_BUILD_DIR}`);
}
