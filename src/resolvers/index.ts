import type { Resolvers } from '../generated/graphql.js';
import { Actor, Entity, Event, Node, Place } from './entity/Entity.js';
import { Query as EntityQuery } from './entity/Query.js';
import { Relation } from './entity/Relation.js';
import { Claim } from './provenance/Claim.js';
import { Excerpt, Source } from './provenance/Excerpt.js';
import { Figure } from './provenance/Figure.js';
import { Query as SystemQuery } from './system/Query.js';
import { authResolvers } from './auth/index.js';
import { evidenceResolvers } from './evidence/index.js';
import { exploreResolvers } from './explore/index.js';
import { listingResolvers } from './listing/index.js';
import { writeResolvers } from './write/index.js';
import { adminResolvers } from './admin/index.js';
import { identityResolvers } from './identity/index.js';

/** All resolvers, merged per type. Each domain folder owns the fields of its types. */
export const resolvers: Resolvers = {
  ...listingResolvers,
  ...exploreResolvers,
  ...evidenceResolvers,
  Query: {
    ...SystemQuery,
    ...EntityQuery,
    ...listingResolvers.Query,
    ...exploreResolvers.Query,
    ...evidenceResolvers.Query,
    ...authResolvers.Query,
    ...adminResolvers.Query,
    ...identityResolvers.Query,
  },
  Mutation: {
    ...authResolvers.Mutation,
    ...writeResolvers.Mutation,
    ...adminResolvers.Mutation,
    ...identityResolvers.Mutation,
  },
  Node,
  Entity,
  Event,
  Actor,
  Place,
  Relation,
  Claim,
  Excerpt,
  Source,
  Figure,
};
