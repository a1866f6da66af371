import type { QueryResolvers } from '../../generated/graphql.js';
import { selectsDirectly } from '../lookahead.js';

export const Query: QueryResolvers = {
  // Asked for an entity's claims: the record and its evidence in one statement.
  node: (_parent, { id }, ctx, info) =>
    selectsDirectly(info, 'claims') ? ctx.services.reader.nodeWithClaims(id) : ctx.services.reader.node(id),
};
