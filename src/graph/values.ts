import neo4j from 'neo4j-driver';

/**
 * Converts what the driver returns into plain JSON-able values at the graph boundary, so nothing above
 * src/graph sees a neo4j Integer, Node or temporal object. Integers outside JavaScript's safe range
 * become strings rather than silently losing digits.
 */
export function toNative(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(toNative);
  if (
    neo4j.isDate(value) ||
    neo4j.isDateTime(value) ||
    neo4j.isLocalDateTime(value) ||
    neo4j.isLocalTime(value) ||
    neo4j.isTime(value) ||
    neo4j.isDuration(value)
  ) {
    return value.toString();
  }
  if (neo4j.isNode(value)) {
    return { elementId: value.elementId, labels: value.labels, properties: toNative(value.properties) };
  }
  if (neo4j.isRelationship(value)) {
    return {
      elementId: value.elementId,
      type: value.type,
      startElementId: value.startNodeElementId,
      endElementId: value.endNodeElementId,
      properties: toNative(value.properties),
    };
  }
  if (neo4j.isPath(value)) {
    return {
      segments: value.segments.map((s) => ({
        start: toNative(s.start),
        rel: toNative(s.relationship),
        end: toNative(s.end),
      })),
    };
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toNative(v);
    return out;
  }
  return value;
}

/*
 * The one set of row decoders (after toNative): stores use these to turn a row's values into typed
 * records, so that nothing above src/graph decodes rows.
 */

/** A string, or null when absent. */
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A number, or null when absent. */
export const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v);

/** A list of strings (absent: empty). */
export const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** A JSON property, parsed; the fallback when absent or empty. */
export const json = <T>(v: unknown, fallback: T): T =>
  typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback;
