/**
 * Hot path: reads a JSON object from a Buffer into a "sparse" copy that holds only the
 * members a shape names, validating the whole text as JSON.parse would. Code that reads the
 * sparse copy through the named members sees what it would see in `JSON.parse`'s result.
 */
import type { JsonObject } from './json-fields.js';
import {
  INVALID_JSON,
  JsonCursor,
  KeySet,
  LBRACE,
  LBRACKET,
  QUOTE,
  RecentTexts,
  textOf,
} from './json-skeleton.js';

/** What the sparse copy keeps of one value. */
export type Field =
  /** The value itself; objects and arrays become empty (see `JsonCursor.scalar`). */
  | { readonly kind: 'value' }
  /** As `value`, for strings that recur from line to line: see `RecentTexts`. */
  | { readonly kind: 'recurring' }
  /** As `value`, but a long string is decoded only if the member is read. */
  | { readonly kind: 'lazy' }
  /** A string's first characters (see `JsonCursor.prefix`); other values as `value`. */
  | { readonly kind: 'prefix'; readonly units: number }
  /** An object's named members; any other value as `value`. */
  | {
      readonly kind: 'object';
      readonly keys: KeySet;
      readonly fields: readonly Field[];
      /** Per member: the strings it held lately, for `recurring` members. */
      readonly recent: readonly (RecentTexts | undefined)[];
    }
  /** Every element of an array; any other value as `value`. */
  | { readonly kind: 'array'; readonly of: Field };

export type ObjectField = Extract<Field, { kind: 'object' }>;

/** Below this, decoding a string costs less than deferring it (defineProperty is slow). */
const LAZY_BYTES = 1024;

export const VALUE: Field = { kind: 'value' };
export const RECURRING: Field = { kind: 'recurring' };
export const LAZY: Field = { kind: 'lazy' };

export function prefixOf(units: number): Field {
  return { kind: 'prefix', units };
}

export function objectOf(members: Record<string, Field>): ObjectField {
  const fields = Object.values(members);
  return {
    kind: 'object',
    keys: new KeySet(Object.keys(members)),
    fields,
    recent: fields.map((f) => (f.kind === 'recurring' ? new RecentTexts() : undefined)),
  };
}

export function arrayOf(of: Field): Field {
  return { kind: 'array', of };
}

const cursor = new JsonCursor();

/**
 * The sparse copy of the object `buf[start, end)` holds, or null when those bytes are not
 * valid JSON or hold something other than an object. A `lazy` member reads `buf` when it is
 * read: use the copy before `buf` changes.
 */
export function readSparse(
  buf: Buffer,
  start: number,
  end: number,
  shape: ObjectField,
): JsonObject | null {
  cursor.reset(buf, start, end);
  try {
    if (cursor.peek() !== LBRACE) return null;
    const value = readObject(cursor, shape);
    return cursor.peek() === -1 ? value : null;
  } catch (error) {
    if (error === INVALID_JSON || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** At `{`: the members `shape` names, each as its field says; the last of duplicates wins. */
function readObject(c: JsonCursor, shape: ObjectField): JsonObject {
  const out: JsonObject = {};
  c.pos++;
  for (let i = c.member(shape.keys, true); i !== -1; i = c.member(shape.keys, false)) {
    const name = shape.keys.names[i] as string;
    const field = shape.fields[i] as Field;
    if (field.kind === 'recurring') out[name] = c.scalar(shape.recent[i]);
    else if (field.kind === 'lazy') readLazy(c, out, name);
    else out[name] = readValue(c, field);
  }
  return out;
}

function readLazy(c: JsonCursor, out: JsonObject, name: string): void {
  // A duplicate may replace a lazy member, which cannot be assigned to.
  if (Object.hasOwn(out, name)) delete out[name];
  if (c.peek() !== QUOTE) {
    out[name] = c.scalar();
    return;
  }
  const open = c.pos;
  const close = c.string();
  const escaped = c.escaped;
  if (close - open <= LAZY_BYTES) {
    out[name] = c.text(open, close, escaped);
    return;
  }
  const buf = c.buf;
  let text: string | undefined;
  Object.defineProperty(out, name, {
    configurable: true,
    enumerable: true,
    get: () => {
      text ??= textOf(buf, open, close, escaped);
      return text;
    },
  });
}

function readValue(c: JsonCursor, field: Field): unknown {
  const b = c.peek();
  if (field.kind === 'object' && b === LBRACE) return readObject(c, field);
  if (field.kind === 'array' && b === LBRACKET) return readArray(c, field.of);
  if (field.kind === 'prefix' && b === QUOTE) {
    const open = c.pos;
    const close = c.string();
    return c.prefix(open, close, c.escaped, field.units);
  }
  return c.scalar();
}

/** At `[`: every element, as `of` says. */
function readArray(c: JsonCursor, of: Field): unknown[] {
  const out: unknown[] = [];
  c.pos++;
  for (let first = true; c.element(first); first = false) out.push(readValue(c, of));
  return out;
}
