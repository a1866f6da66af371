import type { FigureResolvers } from '../../generated/graphql.js';
import { firstOf } from '../lists.js';

export const Figure: FigureResolvers = {
  subject: (parent, _args, ctx) => ctx.services.reader.entity(parent.subjectId),
  shareOf: (parent, _args, ctx) => ctx.services.reader.figureShareOf(parent.id),
  during: (parent, _args, ctx) => ctx.services.reader.figureDuring(parent.id),
  claims: (parent, { first }, ctx) =>
    firstOf('Figure.claims', ctx.services.reader.claimsOfFigure(parent.id), first),
  conflicts: (parent, { first }, ctx) =>
    firstOf('Figure.conflicts', ctx.services.reader.conflictsOfFigure(parent.id), first),
};
