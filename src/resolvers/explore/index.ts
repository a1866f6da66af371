import type { Resolvers } from '../../generated/graphql.js';

/** Resolvers of the explore read fields (schema/read.graphql). */
export const exploreResolvers: Resolvers = {};
