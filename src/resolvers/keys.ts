import type { Resolvers } from '../generated/graphql.js';
import { clearance } from '../model/access.js';

/** Who the caller is, and API key management (schema/keys.graphql). */
export const keysResolvers: Resolvers = {
  Query: {
    viewer: (_p, _a, ctx) => ({ ...ctx.viewer, clearance: [...clearance(ctx.viewer.role)] }),
  },
  Mutation: {
    createApiKey: (_p, { role, name }, ctx) => ctx.services.keys.create(role, name),
    revokeApiKey: (_p, { id }, ctx) => ctx.services.keys.revoke(id),
  },
};
