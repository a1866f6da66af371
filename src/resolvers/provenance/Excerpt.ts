import type { ExcerptResolvers, SourceResolvers } from '../../generated/graphql.js';

export const Excerpt: ExcerptResolvers = {
  source: (parent, _args, ctx) => ctx.services.reader.source(parent.sourceId),
};

export const Source: SourceResolvers = {
  text: (parent, { start, end }, ctx) => ctx.services.reader.sourceText(parent, start, end),
  publisher: (parent, _args, ctx) => ctx.services.reader.publisher(parent.id),
};
