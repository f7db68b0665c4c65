import { OtlpDecodeError } from './decode-error.js';

/**
 * Readers for one field of an OTLP message in its JSON shape: an OTLP/JSON
 * body as parsed, or a protobuf body after protobufjs `toObject` with
 * `longs: BigInt`. Each checks the field's type once and throws an
 * OtlpDecodeError naming the field's path otherwise.
 *
 * OTLP/JSON quirks handled here: keys are lowerCamelCase but the proto
 * snake_case names must be accepted too; 64-bit integers arrive as decimal
 * strings (or numbers); enums as integers (or their names); doubles may be
 * "NaN" / "Infinity"; a missing field is the proto3 default.
 */

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const snakeNames = new Map<string, string>();

function snakeCase(name: string): string {
  let snake = snakeNames.get(name);
  if (snake === undefined) {
    snake = name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    snakeNames.set(name, snake);
  }
  return snake;
}

/** The field by its lowerCamelCase name, or by its proto snake_case name. */
export function fieldOf(object: JsonObject, name: string): unknown {
  const value = object[name];
  if (value !== undefined) return value;
  return object[snakeCase(name)];
}

function fail(path: string, name: string, what: string, value: unknown): never {
  // Only primitives are quoted: stringifying a hostile nested value could be huge or too deep.
  const shown = Array.isArray(value)
    ? 'an array'
    : typeof value === 'object' && value !== null
      ? 'an object'
      : typeof value === 'string'
        ? JSON.stringify(value.slice(0, 60))
        : String(value);
  throw new OtlpDecodeError(`${path}.${name} ${what}, got ${shown}`);
}

export function objectField(
  object: JsonObject,
  name: string,
  path: string,
): JsonObject | undefined {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) fail(path, name, 'is not an object', value);
  return value;
}

/** A repeated message field; every element must be an object. */
export function objectsField(object: JsonObject, name: string, path: string): JsonObject[] {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, name, 'is not an array', value);
  const elements: readonly unknown[] = value;
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index];
    if (!isJsonObject(element)) fail(path, `${name}[${index}]`, 'is not an object', element);
  }
  return elements as JsonObject[];
}

export function stringField(object: JsonObject, name: string, path: string): string {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(path, name, 'is not a string', value);
  return value;
}

export function boolField(object: JsonObject, name: string, path: string): boolean {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') fail(path, name, 'is not a boolean', value);
  return value;
}

const DECIMAL_INTEGER = /^-?\d+$/;

/**
 * A 64-bit integer as a bigint, exact (timestamps in nanoseconds exceed 2^53).
 * A JSON number above 2^53 has already lost precision in JSON.parse; OTLP/JSON
 * exporters send these as strings for that reason.
 */
export function int64(value: unknown): bigint | undefined {
  if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'bigint') return value;
  return undefined;
}

/** A fixed64/uint64 field such as `timeUnixNano`; 0n when absent. */
export function uint64Field(object: JsonObject, name: string, path: string): bigint {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return 0n;
  const integer = int64(value);
  if (integer === undefined || integer < 0n) fail(path, name, 'is not an unsigned integer', value);
  return integer;
}

/** An int64 field meant as a quantity (`asInt`, `count`), as a number. */
export function int64NumberField(
  object: JsonObject,
  name: string,
  path: string,
): number | undefined {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return undefined;
  const integer = int64(value);
  if (integer === undefined) fail(path, name, 'is not an integer', value);
  return Number(integer);
}

const SPECIAL_DOUBLES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

export function double(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (Object.hasOwn(SPECIAL_DOUBLES, value)) return SPECIAL_DOUBLES[value];
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A double field (`asDouble`, `sum`); undefined when absent. */
export function doubleField(object: JsonObject, name: string, path: string): number | undefined {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return undefined;
  const number = double(value);
  if (number === undefined) fail(path, name, 'is not a number', value);
  return number;
}

/** An enum field as its number; names (`AGGREGATION_TEMPORALITY_DELTA`) are looked up. */
export function enumField(
  object: JsonObject,
  name: string,
  path: string,
  numberOf: Readonly<Record<string, number>>,
): number {
  const value = fieldOf(object, name);
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && Object.hasOwn(numberOf, value)) {
    const number = numberOf[value];
    if (number !== undefined) return number;
  }
  return fail(path, name, 'is not a known enum value', value);
}
