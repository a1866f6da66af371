import type { ExcerptResolvers, SourceResolvers } from '../../generated/graphql.js';

export const Excerpt: ExcerptResolvers = {
  source: (parent, _args, ctx) => ctx.services.reader.source(parent.sourceId),
};

export const Source: SourceResolvers = {
  publisher: (parent, _args, ctx) => ctx.services.reader.publisher(parent.id),
};
