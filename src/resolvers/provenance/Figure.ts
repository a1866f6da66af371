import type { FigureResolvers } from '../../generated/graphql.js';

export const Figure: FigureResolvers = {
  subject: (parent, _args, ctx) => ctx.services.reader.entity(parent.subjectId),
  shareOf: (parent, _args, ctx) => ctx.services.reader.figureShareOf(parent.id),
  during: (parent, _args, ctx) => ctx.services.reader.figureDuring(parent.id),
  claims: (parent, _args, ctx) => ctx.services.reader.claimsOfFigure(parent.id),
  conflicts: (parent, _args, ctx) => ctx.services.reader.conflictsOfFigure(parent.id),
};
