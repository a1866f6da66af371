import type { Resolvers } from '../../generated/graphql.js';

/** Identity fields: lookup by external identifier, match candidates and same-as judgements. */
export const identityResolvers: Resolvers = {
  Query: {
    entityByIdentifier: (_p, { scheme, value }, ctx) =>
      ctx.services.identity.entityByIdentifier(scheme, value),
    matchCandidates: (_p, { id, first }, ctx) => ctx.services.identity.matchCandidates(id, first),
    sameAsJudgements: (_p, { id }, ctx) => ctx.services.identity.judgements(id),
  },
  Mutation: {
    judgeMatch: (_p, args, ctx) => ctx.services.identity.judge(args),
  },
};
