// `npm run build:dashboard` (dashboard/build.ts) run again while a stack serves dist/: the browser
// tests each build it, and the demo too, while other tests' pages load from it.
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboard } from '../../dashboard/build';

const dir = fs.mkdtempSync(join(tmpdir(), 'dashboard-rebuild-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a rebuild replaces each file whole: at every step of it, every file of the last build is there, complete', () => {
  buildDashboard(dir);
  const built = new Map(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(join(dir, name))]));
  expect([...built.keys()].sort()).toEqual(['app.js', 'app.js.map', 'index.html', 'styles.css']);
  fs.writeFileSync(join(dir, 'from-an-older-build.js'), 'old');

  const missing: string[] = [];
  const afterEachStep = <T extends unknown[], R>(original: (...args: T) => R) =>
    jest.fn((...args: T): R => {
      const result = original(...args);
      for (const [name, contents] of built) {
        if (!fs.existsSync(join(dir, name)) || !fs.readFileSync(join(dir, name)).equals(contents))
          missing.push(`${name} after ${original.name}`);
      }
      return result;
    });
  // The calls dashboard/build.ts makes, and no others: Node's own rmSync keeps unlinkSync and its kin
  // for the life of the process once it has loaded them, so a spy on those would outlive this test.
  const spies = (['writeFileSync', 'renameSync', 'rmSync'] as const).map((name) => {
    const original = fs[name] as (...args: unknown[]) => unknown;
    return jest.spyOn(fs, name).mockImplementation(afterEachStep(original) as never);
  });
  try {
    buildDashboard(dir);
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }

  expect(missing).toEqual([]);
  expect(fs.readdirSync(dir).sort()).toEqual([...built.keys()].sort()); // the older build's file is gone
});
