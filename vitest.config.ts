import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Node resolves `graphql` to its CommonJS build (graphql-js has no exports map), for Apollo and every other
// dependency; Vite would pick the ESM build for our code. One realm for both, as in production.
const graphqlCjs = createRequire(import.meta.url).resolve('graphql');

/**
 * Three projects: `unit` (pure logic, no database, no Java: seconds), `integration` (against one real Neo4j,
 * started by test/global-setup.ts: embedded, or NEO4J_URI) and `e2e` (the explorer in Chromium, on the same
 * Neo4j). `vitest run` runs all three; `vitest run --project unit` only the first.
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
    ],
  },
});
