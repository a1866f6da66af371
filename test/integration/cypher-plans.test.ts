import { afterAll, describe, expect, it } from 'vitest';
import { testConfig, testDatabase } from '../helpers/app.js';
import { sampleParams } from '../cypher/params.js';
import {
  ALLOWED,
  allowedBy,
  operators,
  SELECTIVE,
  names,
  selectiveViolations,
  violations,
  type PlanNode,
} from '../cypher/plan-rules.js';
import { loadRegistry, type Entry } from '../cypher/registry.js';

/**
 * Every statement and variant the application can run (test/cypher/registry.ts), EXPLAINed against the
 * test Neo4j with sample parameters (test/cypher/params.ts): it must compile, and its plan must not scan
 * every node, every event, claim or excerpt, multiply two reads or materialise its input (Eager), unless
 * test/cypher/plan-rules.ts allows it with a reason; a selective statement's (SELECTIVE) must not scan an
 * index, a label or the graph at all. EXPLAIN plans without running: nothing is read or
 * written, so write statements are checked the same way.
 */

const registry = await loadRegistry();
const config = testConfig();
const db = testDatabase(config.neo4j.uri, config);

/** Allow-list keys that accepted something, and how many (statement, rule) exceptions each accepted. */
const used = new Map<string, number>();
const explained = new Set<string>();

afterAll(() => db.close());

async function explain(entry: Entry): Promise<PlanNode> {
  const session = db.driver.session({ database: config.neo4j.database });
  try {
    const result = await session.run(`EXPLAIN ${entry.cypher}`, sampleParams(entry));
    if (!result.summary.plan) throw new Error(`EXPLAIN ${entry.name} returned no plan`);
    return result.summary.plan as PlanNode;
  } finally {
    await session.close();
  }
}

/**
 * One statement at a time: planning is CPU-bound in Neo4j (the largest listing variants take seconds), and
 * other test files share that Neo4j. A loaded machine can take a minute for one, hence the timeout.
 */
const PLAN_TIMEOUT_MS = 180_000;

describe('Cypher plans', () => {
  it.each(registry.entries.map((e) => [e.name, e] as const))(
    '%s',
    async (_name, entry) => {
      const plan = await explain(entry);
      explained.add(entry.name);
      expect(operators(plan).length).toBeGreaterThan(1);
      const refused: string[] = [];
      const accepted = new Set<string>();
      for (const v of violations(plan)) {
        const key = allowedBy(entry.name, v.rule);
        if (!key) refused.push(`${v.rule}: ${v.details}`);
        else if (!accepted.has(key)) {
          accepted.add(key);
          used.set(key, (used.get(key) ?? 0) + 1);
        }
      }
      // A selective statement's scans are refused whatever ALLOWED says.
      for (const v of selectiveViolations(entry.name, plan)) refused.push(`${v.rule}: ${v.details}`);
      expect(refused, `${entry.name} (${entry.origin}) plans with`).toEqual([]);
    },
    PLAN_TIMEOUT_MS,
  );
});

describe('Cypher plans, all together', () => {
  it('planned the whole registry and needs every allowed exception it lists', () => {
    expect(registry.entries.length).toBeGreaterThan(200);
    expect(registry.entries.filter((e) => !explained.has(e.name)).map((e) => e.name)).toEqual([]);
    const unmatched = SELECTIVE.filter((p) => !registry.entries.some((e) => names(p, e.name)));
    expect(unmatched, 'test/cypher/plan-rules.ts SELECTIVE patterns naming no statement').toEqual([]);
    const unused = Object.keys(ALLOWED).filter((k) => !used.has(k));
    expect(unused, 'test/cypher/plan-rules.ts ALLOWED entries no statement needs').toEqual([]);
    const exceptions = [...used.values()].reduce((a, b) => a + b, 0);
    console.log(
      `[plans] ${explained.size} statements/variants EXPLAINed, ${exceptions} allowed exceptions (${used.size} allow-list entries)`,
    );
  });
});
