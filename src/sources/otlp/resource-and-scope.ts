import { type Attributes, parseAttributes } from './attribute-value.js';
import { type JsonObject, objectField, stringField } from './json-fields.js';

/** Attributes of the `resource` of a ResourceMetrics / ResourceLogs / ResourceSpans. */
export function resourceOf(owner: JsonObject, path: string): Attributes {
  const resource = objectField(owner, 'resource', path);
  return resource ? parseAttributes(resource, 'attributes', `${path}.resource`) : {};
}

/** Name of the instrumentation `scope` of a ScopeMetrics / ScopeLogs / ScopeSpans. */
export function scopeOf(owner: JsonObject, path: string): string {
  const scope = objectField(owner, 'scope', path);
  return scope ? stringField(scope, 'name', `${path}.scope`) : '';
}
