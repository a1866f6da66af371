import type { Resolvers } from '../generated/graphql.js';

/** What this server is and whether its database answers (schema/system.graphql). */
export const systemResolvers: Resolvers = {
  Query: {
    serverInfo: (_parent, _args, ctx) => ctx.services.system.serverInfo(),
  },
};
