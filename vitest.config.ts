import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Node resolves `graphql` to its CommonJS build (graphql-js has no exports map), for Apollo and every other
// dependency; Vite would pick the ESM build for our code. One realm for both, as in production.
const graphqlCjs = createRequire(import.meta.url).resolve('graphql');

/**
 * Four projects: `unit` (pure logic, no database, no Java: seconds), `integration` (against one real Neo4j,
 * started by test/global-setup.ts: embedded, or NEO4J_URI), `e2e` (the explorer in Chromium, on the same
 * Neo4j) and `integrity` (kg check on that Neo4j once the others have finished: groupOrder 1 runs it after
 * every project of group 0). `vitest run` runs all four; `vitest run --project unit` only the first.
 */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] },
  test: {
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-results/junit.xml' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One real Neo4j for the whole run; files isolate themselves by data.
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integrity',
          include: ['test/integrity/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          // After the integration and e2e suites: the store they leave must pass kg check.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
