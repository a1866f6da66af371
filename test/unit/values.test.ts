import neo4j, { Neo4jError } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { mapDatabaseError } from '../../src/graph/executor.js';
import { toNative } from '../../src/graph/values.js';

describe('values at the graph boundary', () => {
  it('turns driver integers into numbers, and huge ones into exact strings', () => {
    expect(toNative({ n: neo4j.int(42), list: [neo4j.int(7)] })).toEqual({ n: 42, list: [7] });
    expect(toNative(neo4j.int('9007199254740993'))).toBe('9007199254740993');
  });

  it('turns temporal values into ISO strings', () => {
    expect(toNative(new neo4j.types.Date(2022, 4, 30))).toBe('2022-04-30');
  });
});

describe('database errors', () => {
  it('maps an unreachable server to DATABASE_UNAVAILABLE', () => {
    const err = mapDatabaseError(
      new Neo4jError('gone', neo4j.error.SERVICE_UNAVAILABLE, 'gone', 'gone'),
      'op',
    );
    expect((err as { extensions?: { code?: string } }).extensions?.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('maps a transaction timeout to DATABASE_TIMEOUT naming the operation', () => {
    const err = mapDatabaseError(
      new Neo4jError('slow', 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration', 'x', 'x'),
      'events.list',
    );
    expect((err as { extensions?: { code?: string } }).extensions?.code).toBe('DATABASE_TIMEOUT');
    expect(err.message).toContain('events.list');
  });
});
