import { describe, expect, it } from 'vitest';
import { checkStore } from '../../src/services/check.js';
import { testDatabase } from '../helpers/app.js';

/**
 * The integrity check on the run's shared store, after every integration and e2e suite has written to it
 * (this project's sequence.groupOrder puts it last: see vitest.config.ts). A violation fails the run, with
 * the ids; `kg check` on that store says the same. A failure in a global setup's teardown would not do:
 * Vitest prints it and still exits 0.
 */
describe('the test store after the suites', () => {
  it('keeps every invariant of kg check', async () => {
    const db = testDatabase();
    try {
      const report = await checkStore(db.executor);
      const violated = report.invariants
        .filter((i) => i.count)
        .map((i) => `${i.name} (${i.count}): ${i.ids.join(', ')}`);
      expect(violated, 'kg check on the test store').toEqual([]);
      expect(report.scanned.claims).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
