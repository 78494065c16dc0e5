// The packages the Lambdas may bundle are package.json's `dependencies`, and only those: each is
// imported by code under functions/ or shared/; whatever only the tools, the local runtime, the
// benchmark or the tests use is a devDependency, out of the functions' supply chain.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}
const lambdaCode = [...sourcesUnder(join(root, 'functions')), ...sourcesUnder(join(root, 'shared'))].join('\n');
const imported = (pkg: string) => new RegExp(`from '${pkg.replace(/[/\\-]/g, '\\$&')}(/[^']*)?'`).test(lambdaCode);

test.each(Object.keys(packageJson.dependencies))('%s is a dependency because the Lambdas import it', (pkg) => {
  expect(imported(pkg)).toBe(true);
});

test('the spreadsheet reader of the import tool is not among them', () => {
  expect(Object.keys(packageJson.dependencies)).not.toContain('exceljs');
});

test('everything the Lambdas import is a dependency (or Node itself, or types only)', () => {
  const packages = [...lambdaCode.matchAll(/^import (type )?[^;]*? from '([^.][^']*)'/gm)]
    .filter(([, typeOnly, specifier]) => !typeOnly && !specifier!.startsWith('node:'))
    .map(([, , specifier]) =>
      specifier!
        .split('/')
        .slice(0, specifier!.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  expect([...new Set(packages)].filter((pkg) => !(pkg in packageJson.dependencies))).toEqual([]);
});
