import type {
  ActorResolvers,
  EntityResolvers,
  EventResolvers,
  NodeResolvers,
  PlaceResolvers,
} from '../../generated/graphql.js';

export const Node: NodeResolvers = {
  __resolveType: (record) => record.__kind,
};

export const Entity: EntityResolvers = {
  __resolveType: (record) => record.__kind,
};

/** Fields every entity kind resolves the same way. */
const entityFields = {
  claims: (parent, { status }, ctx) => ctx.services.reader.claimsAbout(parent.id, status),
  relations: (parent, { types }, ctx) => ctx.services.reader.relationsOf(parent.id, types),
  figures: (parent, _args, ctx) => ctx.services.reader.figuresOf(parent.id),
} satisfies Pick<EventResolvers, 'claims' | 'relations' | 'figures'>;

export const Event: EventResolvers = {
  ...entityFields,
  involvements: (parent, _args, ctx) => ctx.services.reader.involvements(parent.id),
};

export const Actor: ActorResolvers = {
  ...(entityFields as Pick<ActorResolvers, 'claims' | 'relations' | 'figures'>),
};
export const Place: PlaceResolvers = {
  ...(entityFields as Pick<PlaceResolvers, 'claims' | 'relations' | 'figures'>),
};
