// Malformed inputs, derived from a zod object schema and one valid value of it: fast-check
// arbitraries that break a valid body or event detail in the ways clients and other systems do
// (a field left out, a wrong type, a number out of range, a bad date, an unknown field, huge or odd
// unicode strings, nested junk), each knowing which field(s) it broke.
import fc from 'fast-check';
import * as z from 'zod';

/** A field of an object schema, nested objects included (`contact.email`). */
export interface SchemaField {
  path: string[];
  schema: z.ZodType;
  required: boolean;
}

export function fieldsOf(schema: z.ZodType, prefix: string[] = []): SchemaField[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
    const path = [...prefix, key];
    const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
    return [{ path, schema: field, required: !field.safeParse(undefined).success }, ...fieldsOf(inner, path)];
  });
}

/** One change to a valid object; `broken` is the field the answer must name, when the change breaks one. */
export interface Mutation {
  describe: string;
  /** The top-level field it touches: one mutation per field, so they never undo each other. */
  field: string;
  apply(target: Record<string, unknown>): void;
  broken?: string;
}

const setAt = (target: Record<string, unknown>, path: string[], value: unknown) => {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) define(node, key, {});
    node = node[key] as Record<string, unknown>;
  }
  define(node, path.at(-1)!, value);
};
/** An own property even for `__proto__`, as JSON.parse makes it. */
const define = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
const deleteAt = (target: Record<string, unknown>, path: string[]) => {
  const parent = path.slice(0, -1).reduce<any>((node, key) => node?.[key], target);
  if (parent && typeof parent === 'object') delete parent[path.at(-1)!];
};

const deep = (depth: number, leaf: unknown): unknown =>
  Array.from({ length: depth }).reduce<unknown>((inner, _, i) => (i % 2 ? [inner] : { x: inner }), leaf);

/** Values of every kind, weighted towards what breaks schemas. */
export function junkValue(maxString: number): fc.Arbitrary<{ why: string; value: unknown }> {
  const tagged = (why: string, arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((value) => ({ why, value }));
  return fc.oneof(
    tagged(
      'wrong type',
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.constant([]), fc.constant({})),
    ),
    tagged(
      'number out of range',
      fc.oneof(
        fc.integer({ min: -1_000_000, max: -1 }),
        fc.integer({ min: 21, max: 2_000_000_000 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.constantFrom(1e300, -1e300, 0.5, -0.0001, 1.0000001, 2 ** 53 + 2),
      ),
    ),
    tagged(
      'bad date',
      fc.oneof(
        fc.constantFrom(
          '2019-02-30',
          '2019-02-29',
          '2019-13-01',
          '2019-00-10',
          '2019-6-1',
          '20190601',
          '31/12/2019',
          'yesterday',
          ' 2019-06-01',
          '2019-06-01T25:00:00Z',
          '2019-06-31T10:00:00Z',
          '2019-02-29T10:00:00Z',
          '2019-06-01T10:00:00',
          '2019-06-01T10:60:00Z',
          '2019-06-01 10:00:00Z',
          '+002019-06-01T10:00:00Z',
          '2019-06-01T10:00:00+25:00',
          '2019-06-01T10:00:00Zjunk',
        ),
        fc.date({ noInvalidDate: true }).map((d) => d.toString()),
        fc.integer().map((n) => String(n)),
      ),
    ),
    tagged(
      'huge string',
      fc.tuple(fc.integer({ min: 201, max: maxString }), fc.constantFrom('x', 'é', '🦊', ' ', '\u0000')).map(([n, c]) => c.repeat(n)),
    ),
    tagged(
      'unicode string',
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom('\uD800', 'a\uDFFFb', '\u202Eevil', '😀'.repeat(60), 'a#b', 'a b', '../..'),
      ),
    ),
    tagged(
      'nested junk',
      fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.integer({ min: 20, max: 2_000 }).map((depth) => deep(depth, 'leaf')),
        fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
      ),
    ),
  );
}

/**
 * Mutations of an object valid against `schema`: leave out a required field, set a field (known or
 * new) to junk. A set field counts as broken only if the field's own schema refuses the value, so
 * the expectation never guesses.
 */
export function mutationOf(schema: z.ZodType, options: { maxString: number; exclude?: readonly string[] }): fc.Arbitrary<Mutation> {
  const fields = fieldsOf(schema).filter((f) => !options.exclude?.includes(f.path[0]!));
  const required = fields.filter((f) => f.required);
  const topLevel = new Set(
    fieldsOf(schema)
      .filter((f) => f.path.length === 1)
      .map((f) => f.path[0]!),
  );
  const name = (path: string[]) => path.join('.');
  const drop =
    required.length === 0
      ? []
      : [
          fc.constantFrom(...required).map((f): Mutation => ({
            describe: `without ${name(f.path)}`,
            field: f.path[0]!,
            apply: (t) => deleteAt(t, f.path),
            broken: name(f.path),
          })),
        ];
  const set =
    fields.length === 0
      ? []
      : [
          fc.tuple(fc.constantFrom(...fields), junkValue(options.maxString)).map(([f, { why, value }]): Mutation => ({
            describe: `${name(f.path)} = ${preview(value)} (${why})`,
            field: f.path[0]!,
            apply: (t) => setAt(t, f.path, value),
            broken: f.schema.safeParse(value).success ? undefined : name(f.path),
          })),
        ];
  const unknownKey = fc
    .oneof(
      fc.constantFrom(
        'eventId',
        'agencyId',
        'changedBy',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'householdId ',
        'Reason',
      ),
      fc.string({ minLength: 1, maxLength: 12 }),
    )
    .filter((key) => !topLevel.has(key) && !options.exclude?.includes(key));
  const extra = fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([key, value]): Mutation => ({
    describe: `unknown field ${JSON.stringify(key)}`,
    field: key,
    apply: (t) => define(t, key, value),
    broken: key,
  }));
  return fc.oneof(...drop, ...set, extra);
}

/** One to three mutations of distinct top-level fields, applied to a copy of `valid`. */
export function malformedObject(
  valid: Record<string, unknown>,
  schema: z.ZodType,
  options: { maxString: number; exclude?: readonly string[] },
) {
  return fc.uniqueArray(mutationOf(schema, options), { minLength: 1, maxLength: 3, selector: (m) => m.field }).map((mutations) => {
    const value = structuredClone(valid);
    for (const m of mutations) m.apply(value);
    return { value, mutations, broken: new Set(mutations.flatMap((m) => (m.broken === undefined ? [] : [m.broken]))) };
  });
}

export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…(${text.length})` : text;
}

/** Request bodies that are not a JSON object at all. */
export const notAJsonObject: fc.Arbitrary<{ describe: string; rawBody: string }> = fc.oneof(
  fc
    .constantFrom('{', '{"a":1', "{'channel':'website'}", 'undefined', 'NaN', '{"a":1}}', '\u0000', '<xml/>', '{"a":01}', '[1,]')
    .map((rawBody) => ({ describe: 'not JSON', rawBody })),
  fc
    .string({ minLength: 1 })
    .filter((s) => !parses(s))
    .map((rawBody) => ({ describe: 'not JSON', rawBody })),
  fc
    .oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.integer(), fc.string(), fc.constant(null), fc.boolean())
    .map((value) => ({ describe: `JSON but not an object: ${preview(value)}`, rawBody: JSON.stringify(value) })),
);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
