import type { Resolvers } from '../generated/graphql.js';

/** Merging duplicate entities and undoing a merge (schema/merge.graphql). */
export const mergeResolvers: Resolvers = {
  Mutation: {
    mergeEntities: (_p, args, ctx) => ctx.services.merge.merge(args),
    unmergeEntities: (_p, args, ctx) => ctx.services.merge.unmerge(args),
  },
};
