import { describe, expect, it } from 'vitest';
import { warmPlans } from '../../src/graph/stores/warm-up.js';
import { testDatabase } from '../helpers/app.js';

/** The start-up warm-up plans every statement it lists (none skipped by an error), reading no data. */
describe('query plan warm-up', () => {
  it('plans each slow-to-plan statement variant', async () => {
    const db = testDatabase();
    try {
      const r = await warmPlans(db.executor);
      expect(r.planned).toBe(11);
    } finally {
      await db.close();
    }
  });
});
