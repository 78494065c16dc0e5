// EventBridge event-pattern matching for the local bus: no maintained JS implementation exists, so we keep our own.
// Semantics follow the EventBridge user guide and aws/event-ruler, the engine behind it; test/unit/event-pattern.test.ts
// is the specification.
import type { EventPattern, PatternValue } from '../shared/wiring/event-routes';

type Operator = Exclude<PatternValue, string | number | boolean | null>;
/** Operators that test one event value on its own (as opposed to `exists` and `anything-but`). */
type ValueOperator = Exclude<Operator, { exists: boolean } | { 'anything-but': unknown }>;

/** True when `event` matches `pattern` as an EventBridge rule with that pattern would. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    // `$or` holds alternative sub-patterns for this same object level; anything else named `$or` is a plain field,
    // as in event-ruler.
    if (field === '$or' && isPatternList(expected)) return expected.some((branch) => matchesEventPattern(branch, event));
    const actual = childOf(event, field);
    if (isValueList(expected)) return matchesLeaf(expected, leafValues(actual));
    // A nested pattern against an array of objects matches if any one element does.
    const candidates = Array.isArray(actual) && actual.length > 0 ? actual : [actual];
    return candidates.some((candidate) => matchesEventPattern(expected, candidate));
  });
}

/** A field's value, or undefined when the event (or the object on this path) has no such field. */
function childOf(value: unknown, field: string): unknown {
  return isRecord(value) && Object.hasOwn(value, field) ? value[field] : undefined;
}

/**
 * The leaf values a pattern's value list is tested against: none for a missing field, every element of an array
 * (the pattern matches if any does), and none for an object, since operators only work on leaves (so
 * `exists: false` matches a field holding an object, as the user guide says).
 */
function leafValues(actual: unknown): unknown[] {
  if (actual === undefined || isRecord(actual)) return [];
  return Array.isArray(actual) ? actual.flatMap(leafValues) : [actual];
}

/** The values in a pattern's list are alternatives: one of them matching is enough. */
function matchesLeaf(expected: ReadonlyArray<PatternValue>, values: unknown[]): boolean {
  return expected.some((want) => {
    if (!isOperator(want)) return values.some((value) => value === want); // `===` compares numbers numerically
    if ('exists' in want) return want.exists === values.length > 0;
    // Anything-but needs a value to be there: a missing field never matches it.
    if ('anything-but' in want) return values.some((value) => !isExcluded(want['anything-but'], value));
    return values.some((value) => matchesValue(want, value));
  });
}

function isExcluded(excluded: Extract<Operator, { 'anything-but': unknown }>['anything-but'], value: unknown): boolean {
  if (Array.isArray(excluded)) return excluded.some((e) => e === value);
  return typeof excluded === 'object' ? matchesValue(excluded as ValueOperator, value) : excluded === value;
}

function matchesValue(op: ValueOperator, value: unknown): boolean {
  if ('numeric' in op) return typeof value === 'number' && inRange(op.numeric, value);
  // The remaining operators only ever match strings.
  if (typeof value !== 'string') return false;
  if ('prefix' in op) return matchesText(op.prefix, value, (v, p) => v.startsWith(p));
  if ('suffix' in op) return matchesText(op.suffix, value, (v, s) => v.endsWith(s));
  if ('equals-ignore-case' in op) return value.toLowerCase() === op['equals-ignore-case'].toLowerCase();
  if ('wildcard' in op) return wildcardRegExp(op.wildcard).test(value);
  throw new Error(`Unsupported event-pattern operator: ${JSON.stringify(op)}`);
}

/** Prefix and suffix take either a string or `{ "equals-ignore-case": string }`. */
function matchesText(
  operand: string | { 'equals-ignore-case': string },
  value: string,
  test: (value: string, operand: string) => boolean,
): boolean {
  return typeof operand === 'string' ? test(value, operand) : test(value.toLowerCase(), operand['equals-ignore-case'].toLowerCase());
}

const comparisons: Record<string, (value: number, bound: number) => boolean> = {
  '<': (v, b) => v < b,
  '<=': (v, b) => v <= b,
  '=': (v, b) => v === b,
  '>=': (v, b) => v >= b,
  '>': (v, b) => v > b,
};

/** `numeric` is a flat list of (operator, bound) pairs, all of which must hold: `[">", 0, "<=", 5]`. */
function inRange(spec: ReadonlyArray<string | number>, value: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const compare = comparisons[String(spec[i])];
    const bound = spec[i + 1];
    if (!compare || typeof bound !== 'number') throw new Error(`Invalid numeric pattern: ${JSON.stringify(spec)}`);
    if (!compare(value, bound)) return false;
  }
  return true;
}

/** `*` matches any run of characters (even none); `\*` is a literal asterisk and `\\` a literal backslash. */
function wildcardRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    let char = wildcard.charAt(i);
    if (char === '\\' && i + 1 < wildcard.length) char = wildcard.charAt(++i);
    else if (char === '*') {
      source += '.*';
      continue;
    }
    source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

function isOperator(value: PatternValue): value is Operator {
  return typeof value === 'object' && value !== null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isValueList(value: EventPattern | ReadonlyArray<PatternValue>): value is ReadonlyArray<PatternValue> {
  return Array.isArray(value);
}

const operatorNames = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'wildcard', 'cidr']);

/** An array of sub-patterns (the operand of `$or`): objects, none of them an operator such as `{ "prefix": "x" }`. */
function isPatternList(value: unknown): value is EventPattern[] {
  return (
    Array.isArray(value) && value.length > 0 && value.every((v) => isRecord(v) && Object.keys(v).every((key) => !operatorNames.has(key)))
  );
}
