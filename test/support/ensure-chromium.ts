// Run by `npm test` (pretest): the dashboard's browser test drives Debian's Chromium, because
// Playwright's own browser download (`npx playwright install`) cannot reach its servers here.
// Installs it when missing and we are root (as in CI); otherwise says what to install and fails,
// since the browser test cannot pass without it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where the browser test looks for Chromium; `CHROMIUM_PATH` points it elsewhere. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** chromium-l10n carries the en-GB locale, so date fields read dd/mm/yyyy in the screenshots, as staff see them. */
const PACKAGES = ['chromium', 'chromium-l10n'];

export const INSTALL_HINT =
  "The dashboard's browser test needs Debian's Chromium at /usr/bin/chromium: " +
  `run \`sudo apt-get install -y ${PACKAGES.join(' ')}\` (or set CHROMIUM_PATH to another Chromium).`;

function aptGet(...args: string[]): boolean {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

function ensureChromium(): number {
  const path = chromiumPath();
  if (existsSync(path)) return 0;
  if (process.getuid?.() !== 0 || path !== '/usr/bin/chromium') {
    console.error(INSTALL_HINT);
    return 1;
  }
  console.log("Chromium is missing: installing Debian's chromium package for the dashboard's browser test...");
  // A fresh machine may have no package lists yet: update only when the first attempt fails.
  const installed =
    aptGet('install', '-y', '--no-install-recommends', ...PACKAGES) ||
    (aptGet('update') && aptGet('install', '-y', '--no-install-recommends', ...PACKAGES));
  if (installed && existsSync(path)) return 0;
  console.error(`apt-get could not install chromium. ${INSTALL_HINT}`);
  return 1;
}

if (require.main === module) process.exit(ensureChromium());
