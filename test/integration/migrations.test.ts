import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { migrate } from '../../src/graph/migrate.js';
import { migrations } from '../../src/graph/migrations/index.js';
import { testDatabase } from '../helpers/app.js';

const showSchema = statement(
  'test.showSchema',
  `SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state
   RETURN collect({name: name, type: type, on: labelsOrTypes, props: properties}) AS indexes`,
);
const countLedger = statement(
  'test.countLedger',
  'MATCH (m:Migration) RETURN count(m) AS n, collect(m.id) AS ids',
);

describe('migrations', () => {
  const db = testDatabase();
  afterAll(() => db.close());

  it('running them again changes nothing', async () => {
    // The global setup already migrated this database once.
    const before = await db.executor.read(showSchema);
    const ledgerBefore = await db.executor.read(countLedger);
    const second = await migrate(db.executor);
    const third = await migrate(db.executor);
    expect(second.applied).toEqual([]);
    expect(third.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(migrations.map((m) => m.id));
    expect(await db.executor.read(showSchema)).toEqual(before);
    expect(await db.executor.read(countLedger)).toEqual(ledgerBefore);
  });

  it('applies a new migration once, records it, and refuses one edited after it was applied', async () => {
    const id = `9999-test-${randomUUID()}`;
    const indexName = `test_idx_${randomUUID().replaceAll('-', '')}`;
    const extra = {
      id,
      description: 'test-only index',
      statements: [`CREATE INDEX ${indexName} IF NOT EXISTS FOR (n:TestOnlyMigration) ON (n.x)`],
    };
    try {
      const first = await migrate(db.executor, undefined, [...migrations, extra]);
      expect(first.applied).toEqual([id]);
      const again = await migrate(db.executor, undefined, [...migrations, extra]);
      expect(again.applied).toEqual([]);
      const edited = { ...extra, statements: [`${extra.statements[0]} OPTIONS {}`] };
      await expect(migrate(db.executor, undefined, [...migrations, edited])).rejects.toThrow(
        /changed after it was applied/,
      );
    } finally {
      await db.executor.schema(statement('test.dropIndex', `DROP INDEX ${indexName} IF EXISTS`));
      await db.executor.write(statement('test.dropLedger', 'MATCH (m:Migration {id: $id}) DELETE m'), { id });
    }
  });
});
