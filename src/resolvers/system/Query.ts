import type { QueryResolvers } from '../../generated/graphql.js';

export const Query: QueryResolvers = {
  serverInfo: (_parent, _args, ctx) => ctx.services.system.serverInfo(),
};
