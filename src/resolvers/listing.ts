import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../generated/graphql.js';
import type { Embeds } from '../services/listing.js';
import { selects } from './lookahead.js';

/** What nested data the selection needs from the one listing statement. */
const embedsFor = (info: GraphQLResolveInfo): Embeds => ({
  relations: selects(info, 'relations', 'involvements'),
  claims: selects(info, 'claims'),
  total: selects(info, 'totalCount'),
});

/** Resolvers of the listing fields (schema/listing.graphql): events, actors, places, sources, timeline. */
export const listingResolvers: Resolvers = {
  Query: {
    events: (_p, args, ctx, info) => ctx.services.listing.events(args, embedsFor(info)),
    actors: (_p, args, ctx, info) => ctx.services.listing.entities('Actor', args, embedsFor(info)),
    places: (_p, args, ctx, info) => ctx.services.listing.entities('Place', args, embedsFor(info)),
    sources: (_p, args, ctx, info) => ctx.services.listing.sources(args, selects(info, 'totalCount')),
    timeline: (_p, args, ctx, info) => ctx.services.listing.timeline(args, embedsFor(info)),
  },
};
