import type { FigureUnit, Resolvers } from '../../generated/graphql.js';
import { firstOf } from '../lists.js';
import { selects } from '../lookahead.js';

/**
 * Resolvers of the evidence read fields (schema/read.graphql). Each root field is one statement; the
 * lookahead only decides whether claims come with their details and whether to count. Every field of
 * Provenance, Conflict, StatisticGroup and StatisticValue is a property of what the service returns.
 */
export const evidenceResolvers: Resolvers = {
  Query: {
    provenance: (_parent, { id, first, after }, ctx, info) =>
      ctx.services.evidence.provenance(id, { first, after }, { details: selects(info, 'claims', 'sources') }),
    conflicts: (_parent, args, ctx, info) =>
      ctx.services.evidence.conflicts(args, {
        details: selects(info, 'claims'),
        withTotal: selects(info, 'totalCount'),
      }),
    statistics: async (_parent, { filter }, ctx, info) => {
      const groups = await ctx.services.evidence.statistics(filter ?? {}, {
        // Claims (Figure.claims/conflicts) and publishers are primed only from claim details.
        details: selects(info, 'claims', 'conflicts', 'publisher'),
      });
      return groups.map((g) => ({ ...g, unit: g.unit as FigureUnit }));
    },
  },
  Provenance: {
    sources: (provenance, { first }) => firstOf('Provenance.sources', provenance.sources, first),
  },
  Conflict: {
    claims: (conflict, { first }) => firstOf('Conflict.claims', conflict.claims, first),
  },
  StatisticValue: {
    sources: (value, { first }) => firstOf('StatisticValue.sources', value.sources, first),
  },
};
