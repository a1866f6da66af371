import type { Migration } from './types.js';

/**
 * Earlier versions of sources (updateSource) and claims (amendClaim) are nodes of their own, known by id
 * (`<record id>@<version>`): unique, so that a version is snapshotted once and a backup restores by key.
 */
export const migration: Migration = {
  id: '0011-versions',
  description: 'Source and claim versions: unique ids',
  statements: [
    'CREATE CONSTRAINT sourceversion_id_unique IF NOT EXISTS FOR (v:SourceVersion) REQUIRE v.id IS UNIQUE',
    'CREATE CONSTRAINT claimversion_id_unique IF NOT EXISTS FOR (v:ClaimVersion) REQUIRE v.id IS UNIQUE',
  ],
};
