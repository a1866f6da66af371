/**
 * A neo4j-driver Driver that records every statement run through it (Cypher and parameters), for the
 * bench's server processes: the floor replays exactly what a request ran, and round trips of
 * @neo4j/graphql are counted the same way as ours (one per statement run).
 */
import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';

export interface Recorded {
  cypher: string;
  params: Record<string, unknown>;
  mode: 'READ' | 'WRITE';
}

export function recordingDriver(driver: Driver): {
  driver: Driver;
  recorded: Recorded[];
  count: () => number;
} {
  const recorded: Recorded[] = [];
  let count = 0;
  const keep = (r: Recorded) => {
    count += 1;
    // Bounded: only the last request's statements are ever read.
    if (recorded.length > 1000) recorded.splice(0, recorded.length - 100);
    recorded.push(r);
  };
  const wrapTx = (tx: ManagedTransaction, mode: Recorded['mode']): ManagedTransaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'run') {
          return (cypher: string, params: Record<string, unknown> = {}, ...rest: unknown[]) => {
            keep({ cypher, params, mode });
            return (target.run as (...a: unknown[]) => unknown)(cypher, params, ...rest);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  const wrapSession = (session: Session): Session =>
    new Proxy(session, {
      get(target, prop, receiver) {
        if (prop === 'executeRead' || prop === 'executeWrite') {
          const mode = prop === 'executeRead' ? 'READ' : 'WRITE';
          return (work: (tx: ManagedTransaction) => unknown, config?: unknown) =>
            (target[prop] as (w: unknown, c: unknown) => unknown).call(
              target,
              (tx: ManagedTransaction) => work(wrapTx(tx, mode)),
              config,
            );
        }
        if (prop === 'run') {
          return (cypher: string, params: Record<string, unknown> = {}, ...rest: unknown[]) => {
            keep({ cypher, params, mode: 'WRITE' });
            return (target.run as (...a: unknown[]) => unknown).call(target, cypher, params, ...rest);
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  const proxy = new Proxy(driver, {
    get(target, prop, receiver) {
      if (prop === 'session') {
        return (...args: unknown[]) => wrapSession((target.session as (...a: unknown[]) => Session)(...args));
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { driver: proxy, recorded, count: () => count };
}

/**
 * Parameters as JSON that keeps driver Integers (sent as INTEGER, not FLOAT) apart from numbers:
 * {"$int": "2011"}. reviveParams turns them back.
 */
export function paramsToJson(params: unknown): unknown {
  if (neo4j.isInt(params)) return { $int: params.toString() };
  if (Array.isArray(params)) return params.map(paramsToJson);
  if (params && typeof params === 'object')
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, paramsToJson(v)]));
  return params;
}

export function reviveParams(params: unknown): unknown {
  if (Array.isArray(params)) return params.map(reviveParams);
  if (params && typeof params === 'object') {
    const o = params as Record<string, unknown>;
    if (typeof o.$int === 'string' && Object.keys(o).length === 1) return neo4j.int(o.$int);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, reviveParams(v)]));
  }
  return params;
}
