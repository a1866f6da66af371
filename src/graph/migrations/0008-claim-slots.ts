import type { Migration } from './types.js';

export const migration: Migration = {
  id: '0008-claim-slots',
  description: 'Claims looked up by slot, to find the claim a newer release of a dataset supersedes',
  statements: ['CREATE INDEX claim_slot IF NOT EXISTS FOR (n:Claim) ON (n.slot)'],
};
