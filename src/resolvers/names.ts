import type { ActorResolvers, NameKind, Resolvers } from '../generated/graphql.js';
import { firstOf } from './lists.js';

/** Aliases and identifiers with evidence (schema/names.graphql): each field is one call of the names service. */
const nameEvidence = {
  nameEvidence: (parent, { first }, ctx) =>
    firstOf('Entity.nameEvidence', ctx.services.names.nameEvidence(parent.id), first),
} satisfies Pick<ActorResolvers, 'nameEvidence'>;

export const namesResolvers: Resolvers = {
  Mutation: {
    addAlias: (_p, { entityId, alias, claimId, reason, idempotencyKey }, ctx) =>
      ctx.services.names.addAlias(entityId, alias, claimId, reason, idempotencyKey),
    addIdentifier: (_p, { entityId, identifier, claimId, reason, idempotencyKey }, ctx) =>
      ctx.services.names.addIdentifier(entityId, identifier, claimId, reason, idempotencyKey),
    retractAlias: (_p, { entityId, alias, reason, idempotencyKey }, ctx) =>
      ctx.services.names.retractAlias(entityId, alias, reason, idempotencyKey),
    retractIdentifier: (_p, { entityId, identifier, reason, idempotencyKey }, ctx) =>
      ctx.services.names.retractIdentifier(entityId, identifier, reason, idempotencyKey),
  },
  Event: nameEvidence,
  Actor: nameEvidence,
  Place: nameEvidence,
  NameEvidence: {
    kind: (parent) => (parent.kind === 'identifier' ? 'IDENTIFIER' : 'ALIAS') as NameKind,
    retracted: (parent) => parent.retractedAt !== null,
    claim: async (parent, _args, ctx) => {
      const [claim] = await ctx.services.records.claims([parent.claimId]);
      if (!claim) throw new Error(`Dangling reference to claim ${parent.claimId}`);
      return claim;
    },
  },
};
