import type { RelationResolvers } from '../../generated/graphql.js';

export const Relation: RelationResolvers = {
  from: (parent, _args, ctx) => ctx.services.reader.entity(parent.fromId),
  to: (parent, _args, ctx) => ctx.services.reader.entity(parent.toId),
  claims: (parent, _args, ctx) => ctx.services.reader.claims(parent.claimIds),
};
