import type { Resolvers } from '../generated/graphql.js';
import { auditResolvers } from './audit.js';
import { correctionsResolvers } from './corrections.js';
import { exploreResolvers } from './explore.js';
import { identityResolvers } from './identity.js';
import { keysResolvers } from './keys.js';
import { listingResolvers } from './listing.js';
import { mergeResolvers } from './merge.js';
import { namesResolvers } from './names.js';
import { provenanceResolvers } from './provenance.js';
import { recordsResolvers } from './records.js';
import { systemResolvers } from './system.js';
import { writeResolvers } from './write.js';

/**
 * One resolver module per capability, each named as its schema file, service, store and statements are
 * (docs/ARCHITECTURE.md). Each exports `<capability>Resolvers: Resolvers`; they are merged per type here,
 * and a field defined by two modules is a mistake caught at start-up.
 */
export const CAPABILITY_RESOLVERS: Readonly<Record<string, Resolvers>> = {
  system: systemResolvers,
  records: recordsResolvers,
  listing: listingResolvers,
  explore: exploreResolvers,
  provenance: provenanceResolvers,
  identity: identityResolvers,
  write: writeResolvers,
  merge: mergeResolvers,
  audit: auditResolvers,
  keys: keysResolvers,
  names: namesResolvers,
  corrections: correctionsResolvers,
};

export function combineResolvers(modules: Readonly<Record<string, Resolvers>>): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  const owner = new Map<string, string>();
  for (const [name, module] of Object.entries(modules)) {
    for (const [type, fields] of Object.entries(module)) {
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        const at = `${type}.${field}`;
        const before = owner.get(at);
        if (before) throw new Error(`${at} is resolved by both the ${before} and ${name} resolvers`);
        owner.set(at, name);
        target[field] = resolver;
      }
    }
  }
  return merged as Resolvers;
}

export const resolvers: Resolvers = combineResolvers(CAPABILITY_RESOLVERS);
