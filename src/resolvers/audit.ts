import type { Resolvers } from '../generated/graphql.js';
import { selects } from './lookahead.js';

/** The audit log (schema/audit.graphql). */
export const auditResolvers: Resolvers = {
  Query: {
    auditLog: (_p, args, ctx, info) => ctx.services.audit.auditLog(args, selects(info, 'totalCount')),
  },
};
