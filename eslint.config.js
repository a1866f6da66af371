// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const graphOnly = {
  name: 'neo4j-driver',
  message: 'Only src/graph talks to Neo4j: go through a service and the executor.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'src/generated/',
      'web/src/generated/',
      'coverage/',
      '.neo4j/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Dependencies point one way: resolvers -> services -> graph. Only src/graph imports the driver.
    files: ['src/**/*.ts'],
    ignores: ['src/graph/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [graphOnly] }],
    },
  },
  {
    files: ['src/resolvers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [graphOnly],
          patterns: [
            {
              group: ['**/graph/*', '**/graph/**'],
              message: 'Resolvers call services, never the graph layer directly.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
