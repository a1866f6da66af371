import type { Resolvers } from '../../generated/graphql.js';
import { selects } from '../lookahead.js';

/** Admin fields: merging duplicate entities (and undoing it), and the audit log. */
export const adminResolvers: Resolvers = {
  Query: {
    auditLog: (_p, args, ctx, info) => ctx.services.admin.auditLog(args, selects(info, 'totalCount')),
  },
  Mutation: {
    mergeEntities: (_p, args, ctx) => ctx.services.admin.merge(args),
    unmergeEntities: (_p, args, ctx) => ctx.services.admin.unmerge(args),
  },
};
