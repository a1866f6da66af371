import type { Resolvers } from '../../generated/graphql.js';

/** Resolvers of the listing read fields (schema/read.graphql). */
export const listingResolvers: Resolvers = {};
