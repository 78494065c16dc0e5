// `npm run build:dashboard`: bundles the dashboard (src/) into dist/ with esbuild. The local runtime
// serves dist/ at `/`; the CDK stack runs the same build when it packages the site (infra/dashboard.ts).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { DASHBOARD_BUILD_DIR, DASHBOARD_SOURCE_DIR } from './paths';

/** Files copied as they are, beside the bundle. */
const STATIC_FILES = ['index.html', 'styles.css'];

/** Synchronous, because CDK's local bundling hook is. */
export function buildDashboard(outDir: string = DASHBOARD_BUILD_DIR): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  buildSync({
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
  });
  for (const file of STATIC_FILES) copyFileSync(join(DASHBOARD_SOURCE_DIR, file), join(outDir, file));
}

if (require.main === module) {
  buildDashboard();
  console.log(`dashboard built into ${DASHBOARD_BUILD_DIR}`);
}
