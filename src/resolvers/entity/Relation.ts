import type { RelationResolvers } from '../../generated/graphql.js';
import { firstOf } from '../lists.js';

export const Relation: RelationResolvers = {
  from: (parent, _args, ctx) => ctx.services.reader.entity(parent.fromId),
  to: (parent, _args, ctx) => ctx.services.reader.entity(parent.toId),
  claims: (parent, { first }, ctx) =>
    firstOf('Relation.claims', ctx.services.reader.claims(parent.claimIds), first),
};
