// The layout's rules (README, "The code: a map"), held as a test: shared/ holds only what the
// Lambdas share, so it never imports the local runtime, the dashboard, the tools or the benchmark,
// and its modules import each other without a cycle. Imports are read with TypeScript's own scanner.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { apiRoutes, handlerOf } from '../../shared/wiring/http-routes';
import type { ResourceAccess } from '../../shared/wiring/event-routes';

const root = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The repository files a module imports (relative imports only; packages are not followed). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const base = resolve(dirname(file), name);
      for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
        try {
          if (statSync(candidate).isFile()) return candidate;
        } catch {
          // not this candidate
        }
      }
      throw new Error(`${relative(root, file)} imports ${name}, which does not exist`);
    });
}

const shared = sourceFiles(join(root, 'shared'));
const graph = new Map(shared.map((file) => [file, importsOf(file)]));

it('nothing in shared/ imports the local runtime, the dashboard, the tools, the benchmark or the tests', () => {
  const outside = [...graph].flatMap(([file, imports]) =>
    imports
      .filter((target) => !target.startsWith(join(root, 'shared') + '/'))
      .map((target) => `${relative(root, file)} → ${relative(root, target)}`),
  );
  expect(outside).toEqual([]);
});

it('the modules of shared/ import each other without a cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of shared) visit(file, []);
  expect(cycles).toEqual([]);
});

it('only the HTTP edge knows HTTP: the domain, events, store, projections and queries never import shared/api', () => {
  const upward = [...graph].flatMap(([file, imports]) =>
    /\/shared\/(domain|events|store|projections|queries)\//.test(file)
      ? imports.filter((target) => target.includes('/shared/api/')).map((target) => `${relative(root, file)} → ${relative(root, target)}`)
      : [],
  );
  expect(upward).toEqual([]);
});

it('the domain and the event catalogue are pure: no AWS SDK, no Lambda tooling', () => {
  const impure = shared
    .filter((file) => /\/shared\/(domain|events)\//.test(file))
    .flatMap((file) =>
      ts
        .preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName)
        .filter((name) => /^@aws-sdk\/|^@aws-lambda-powertools\/|^@middy\//.test(name))
        .map((name) => `${relative(root, file)} → ${name}`),
    );
  expect(impure).toEqual([]);
});

const access = (route: (typeof apiRoutes)[number]): ResourceAccess => route.access;

it('a route that records an event is declared a command (or is the public enquiry form post, whose limits share the idempotency table): it writes the projections table and takes Idempotency-Key; no route publishes itself (the outbox does)', () => {
  const records = (route: (typeof apiRoutes)[number]) => route.kind === 'command' || (route.kind === 'public' && route.method === 'POST');
  const mismatched = apiRoutes
    .filter((route) => records(route) !== (access(route).projections === 'readWrite' && access(route).idempotency === 'readWrite'))
    .map((route) => route.name);
  expect(mismatched).toEqual([]);
  expect(apiRoutes.filter((route) => 'publishes' in route.access).map((route) => route.name)).toEqual([]);
});

it("each API route's handler is the file functions/api/ holds for it, and each file there is one route's", () => {
  const files = readdirSync(join(root, 'functions', 'api'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `api/${name.slice(0, -'.ts'.length)}`)
    .sort();
  expect(apiRoutes.map(handlerOf).sort()).toEqual(files);
});
