/** Narrow readers for values decoded from JSON: the boundary where `unknown` becomes typed. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(obj: JsonObject, key: string): string | null {
  const v = obj[key];
  return typeof v === 'string' ? v : null;
}

export function num(obj: JsonObject, key: string): number {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

export function obj(parent: JsonObject, key: string): JsonObject | null {
  const v = parent[key];
  return isObject(v) ? v : null;
}
