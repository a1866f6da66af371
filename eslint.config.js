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
      'test/generated/',
      'coverage/',
      '.neo4j/',
      '.venv/',
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
    // Dependencies point one way: resolvers -> services -> graph -> model; io (file formats) -> model.
    // Only src/graph imports the driver. docs/ARCHITECTURE.md draws the arrows.
    files: ['src/**/*.ts'],
    ignores: [
      'src/graph/**',
      'src/model/**',
      'src/io/**',
      'src/resolvers/**',
      'src/services/**',
      'src/http/**',
      'src/cli/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [graphOnly] }],
    },
  },
  {
    // One way to the database: services call typed stores, which run the statements and decode the rows.
    files: ['src/services/**/*.ts', 'src/http/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            graphOnly,
            {
              name: '../graph/records.js',
              importNames: ['toRecord', 'fromProjection', 'decodeClaimDetails', 'decodeClaimList'],
              message: 'Rows are decoded once, in src/graph/stores: take the records a store returns.',
            },
            {
              name: '../graph/executor.js',
              importNames: ['statement', 'Row'],
              message:
                'Cypher is declared in src/graph/queries and run by a store, which returns typed records.',
            },
          ],
          patterns: [
            {
              regex: '(^|/)graph/queries/',
              message: 'Services call typed stores (src/graph/stores), never statements directly.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/graph/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(io|services|resolvers|http|cli)/',
              message: 'src/graph depends on src/model only: return rows or clashes, let services decide.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/io/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [graphOnly],
          patterns: [
            {
              regex: '^\\.\\./\\.\\./(graph|services|resolvers|http|cli)/',
              message: 'File formats (src/io) depend on src/model only; services connect them to the graph.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/model/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [graphOnly],
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'src/model is the domain: it imports nothing of the application around it.',
            },
          ],
        },
      ],
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
