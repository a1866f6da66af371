import type { Resolvers } from '../generated/graphql.js';
import { firstOf } from './lists.js';
import { selects } from './lookahead.js';

/**
 * Resolvers of the explore read fields (schema/explore.graphql): search, neighborhood, paths, pathSearch. Each root
 * field is one service call; the selection decides what nested data its one statement fetches.
 */
export const exploreResolvers: Resolvers = {
  Query: {
    search: async (_parent, args, ctx, info) => {
      const result = await ctx.services.explore.search(args, {
        withTotal: selects(info, 'totalCount'),
        withSource: selects(info, 'source'),
      });
      // totalCount is only read when selected, and then it was computed.
      return { ...result, totalCount: result.totalCount ?? 0 };
    },
    neighborhood: (_parent, args, ctx, info) =>
      ctx.services.explore.neighborhood(args, { withClaims: selects(info, 'claims') }),
    paths: (_parent, args, ctx, info) =>
      ctx.services.explore.paths(args, { withClaims: selects(info, 'claims') }),
    pathSearch: (_parent, args, ctx, info) =>
      ctx.services.explore.pathSearch(args, { withClaims: selects(info, 'claims') }),
  },
  GraphEdge: {
    claims: (edge, { first }) => firstOf('GraphEdge.claims', edge.claims, first),
  },
};
