import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One real Neo4j for the whole run (embedded, or NEO4J_URI); files isolate themselves by data.
    globalSetup: ['test/global-setup.ts'],
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
