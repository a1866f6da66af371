import type { Resolvers } from '../generated/graphql.js';
import { AppError, ErrorCode } from '../errors.js';
import { ASSUMED_LIST_SIZES } from '../limits.js';

/** Identity fields (schema/identity.graphql): lookup by external identifier, match candidates and same-as judgements. */
export const identityResolvers: Resolvers = {
  Query: {
    entityByIdentifier: (_p, { scheme, value }, ctx) =>
      ctx.services.identity.entityByIdentifier(scheme, value),
    matchCandidates: (_p, { id, first }, ctx) => ctx.services.identity.matchCandidates(id, first),
    sameAsJudgements: async (_p, { id }, ctx) => {
      // The cost counted at most this many: more is refused, never cut off.
      const judgements = await ctx.services.identity.judgements(id);
      const max = ASSUMED_LIST_SIZES['Query.sameAsJudgements']!;
      if (judgements.length > max) {
        throw new AppError(
          ErrorCode.LIMIT_EXCEEDED,
          `This record has more than ${max} same-as judgements; ask about one pair with matchCandidates`,
          { limit: max, count: judgements.length },
        );
      }
      return judgements;
    },
  },
  Mutation: {
    judgeMatch: (_p, args, ctx) => ctx.services.identity.judge(args),
  },
};
