import type { Record as Neo4jRecord } from 'neo4j-driver';
import type { TestApp } from './app.js';

interface ProfileNode {
  dbHits: number;
  children: unknown[];
}

/**
 * Runs `cypher` once under PROFILE (the caller's clearance in `params.visible`) and returns its total dbHits
 * over the whole plan, with the records: the work a statement does, measured without a clock.
 */
export async function profiled(
  app: TestApp,
  cypher: string,
  params: Record<string, unknown>,
): Promise<{ dbHits: number; records: Neo4jRecord[] }> {
  const session = app.db.driver.session({ database: app.config.neo4j.database });
  try {
    const result = await session.run(`PROFILE ${cypher}`, params);
    const sum = (p: ProfileNode): number =>
      p.dbHits + p.children.reduce<number>((a, c) => a + sum(c as ProfileNode), 0);
    return { dbHits: sum(result.summary.profile as unknown as ProfileNode), records: result.records };
  } finally {
    await session.close();
  }
}
