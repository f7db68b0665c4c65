import { OtlpDecodeError } from './decode-error.js';
import {
  double,
  fieldOf,
  int64,
  isJsonObject,
  type JsonObject,
  objectsField,
  stringField,
} from './json-fields.js';

/**
 * An OTLP AnyValue as a plain value. 64-bit integers become numbers when
 * they fit exactly, decimal strings otherwise; bytes become base64 strings.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/** Arrays and maps nested deeper than this are refused rather than recursed into. */
const MAX_DEPTH = 32;

/** `value` as a plain value; undefined for the empty AnyValue (no field set). */
export function parseAnyValue(value: unknown, path: string, depth = 0): AttributeValue | undefined {
  if (!isJsonObject(value)) {
    throw new OtlpDecodeError(`${path} is not an AnyValue object`);
  }
  if (depth > MAX_DEPTH) {
    throw new OtlpDecodeError(`${path} is nested over ${MAX_DEPTH} levels deep`);
  }
  const string = fieldOf(value, 'stringValue');
  if (string !== undefined && string !== null) {
    if (typeof string !== 'string') {
      throw new OtlpDecodeError(`${path}.stringValue is not a string`);
    }
    return string;
  }
  const bool = fieldOf(value, 'boolValue');
  if (bool !== undefined && bool !== null) {
    if (typeof bool !== 'boolean') throw new OtlpDecodeError(`${path}.boolValue is not a boolean`);
    return bool;
  }
  const int = fieldOf(value, 'intValue');
  if (int !== undefined && int !== null) {
    const integer = int64(int);
    if (integer === undefined) throw new OtlpDecodeError(`${path}.intValue is not an integer`);
    const number = Number(integer);
    return Number.isSafeInteger(number) ? number : integer.toString();
  }
  const dbl = fieldOf(value, 'doubleValue');
  if (dbl !== undefined && dbl !== null) {
    const number = double(dbl);
    if (number === undefined) throw new OtlpDecodeError(`${path}.doubleValue is not a number`);
    return number;
  }
  const array = fieldOf(value, 'arrayValue');
  if (isJsonObject(array)) return parseArray(array, `${path}.arrayValue`, depth + 1);
  const kvlist = fieldOf(value, 'kvlistValue');
  if (isJsonObject(kvlist)) {
    return parseAttributes(kvlist, 'values', `${path}.kvlistValue`, depth + 1);
  }
  // Base64 in OTLP/JSON, and in the protobuf path's toObject({ bytes: String }).
  const bytes = fieldOf(value, 'bytesValue');
  if (typeof bytes === 'string') return bytes;
  if (array !== undefined || kvlist !== undefined || bytes !== undefined) {
    throw new OtlpDecodeError(`${path} holds a malformed array, kvlist or bytes value`);
  }
  return undefined;
}

function parseArray(array: JsonObject, path: string, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  for (const [index, element] of objectsField(array, 'values', path).entries()) {
    const value = parseAnyValue(element, `${path}.values[${index}]`, depth);
    if (value !== undefined) values.push(value);
  }
  return values;
}

/**
 * The `attributes` (or kvlist `values`) list of `owner` as a record. Keys with
 * an empty value are left out; a repeated key keeps its last value.
 */
export function parseAttributes(
  owner: JsonObject,
  field: 'attributes' | 'values',
  path: string,
  depth = 0,
): Attributes {
  const entries: [string, AttributeValue][] = [];
  const list = objectsField(owner, field, path);
  for (let index = 0; index < list.length; index++) {
    const keyValue = list[index] as JsonObject;
    // Most attributes are a string key with a string value: taken without
    // building the paths that only an error message needs (hot in ingestion).
    const { key: fastKey, value: fastValue } = keyValue;
    if (typeof fastKey === 'string' && isJsonObject(fastValue)) {
      const text = fastValue.stringValue;
      if (typeof text === 'string') {
        entries.push([fastKey, text]);
        continue;
      }
    }
    const where = `${path}.${field}[${index}]`;
    const key = stringField(keyValue, 'key', where);
    const raw = fieldOf(keyValue, 'value');
    const value =
      raw === undefined || raw === null ? undefined : parseAnyValue(raw, `${where}.value`, depth);
    if (value !== undefined) entries.push([key, value]);
  }
  // fromEntries defines own properties, so a key like "__proto__" stays data.
  return Object.fromEntries(entries);
}
