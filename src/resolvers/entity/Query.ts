import type { QueryResolvers } from '../../generated/graphql.js';

export const Query: QueryResolvers = {
  node: (_parent, { id }, ctx) => ctx.services.reader.node(id),
};
