import type { FigureAgeGroup, FigureSex, FigureUnit, Resolvers } from '../generated/graphql.js';
import { AppError, ErrorCode } from '../errors.js';
import { ASSUMED_LIST_SIZES } from '../limits.js';
import { firstOf } from './lists.js';
import { selects } from './lookahead.js';

/**
 * Resolvers of the provenance fields (schema/provenance.graphql): provenance, conflicts, statistics. Each root field is one statement; the
 * lookahead only decides whether claims come with their details and whether to count. Every field of
 * Provenance, Conflict, StatisticGroup and StatisticValue is a property of what the service returns.
 */
export const provenanceResolvers: Resolvers = {
  Query: {
    provenance: (_parent, { id, first, after }, ctx, info) =>
      ctx.services.provenance.provenance(
        id,
        { first, after },
        { details: selects(info, 'claims', 'sources', 'node') },
      ),
    conflicts: (_parent, args, ctx, info) =>
      ctx.services.provenance.conflicts(args, {
        details: selects(info, 'claims'),
        withTotal: selects(info, 'totalCount'),
      }),
    statistics: async (_parent, { filter }, ctx, info) => {
      const groups = await ctx.services.provenance.statistics(filter ?? {}, {
        // Claims (Figure.claims/conflicts) and publishers are primed only from claim details.
        details: selects(info, 'claims', 'conflicts', 'publisher'),
      });
      // The cost counted at most this many groups and figures per group: more is refused, never cut off.
      const maxGroups = ASSUMED_LIST_SIZES['Query.statistics']!;
      const maxFigures = ASSUMED_LIST_SIZES['StatisticGroup.figures']!;
      if (groups.length > maxGroups || groups.some((g) => g.figures.length > maxFigures)) {
        throw new AppError(
          ErrorCode.LIMIT_EXCEEDED,
          `statistics answers at most ${maxGroups} groups of at most ${maxFigures} figures; narrow the filter (measures, subjectIds, sourceIds)`,
          { limit: maxGroups },
        );
      }
      return groups.map((g) => ({
        ...g,
        unit: g.unit as FigureUnit,
        sex: g.sex as FigureSex | null,
        ageGroup: g.ageGroup as FigureAgeGroup | null,
      }));
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
