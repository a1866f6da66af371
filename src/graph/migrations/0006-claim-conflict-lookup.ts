import type { Migration } from './types.js';

export const migration: Migration = {
  id: '0006-claim-conflict-lookup',
  description: 'Claims looked up by subject and conflict key together (conflicts, statistics, claim details)',
  statements: [
    // CONFLICTING_CLAIMS matches {conflictKey, subjectId}: with claim_conflict alone every claim of the same
    // measure in the graph was a candidate (quadratic in figures; bench/README.md, scale benchmark).
    'CREATE INDEX claim_subject_conflict IF NOT EXISTS FOR (n:Claim) ON (n.subjectId, n.conflictKey)',
  ],
};
