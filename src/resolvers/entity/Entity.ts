import type {
  ActorResolvers,
  EntityResolvers,
  EventResolvers,
  NodeResolvers,
  PlaceResolvers,
} from '../../generated/graphql.js';
import { firstOf } from '../lists.js';

export const Node: NodeResolvers = {
  __resolveType: (record) => record.__kind,
};

export const Entity: EntityResolvers = {
  __resolveType: (record) => record.__kind,
};

/** Fields every entity kind resolves the same way. */
const entityFields = {
  claims: (parent, { status, first }, ctx) =>
    firstOf('Entity.claims', ctx.services.reader.claimsAbout(parent.id, status), first),
  relations: (parent, { types, first }, ctx) =>
    firstOf('Entity.relations', ctx.services.reader.relationsOf(parent.id, types), first),
  figures: (parent, { first }, ctx) =>
    firstOf('Entity.figures', ctx.services.reader.figuresOf(parent.id), first),
} satisfies Pick<EventResolvers, 'claims' | 'relations' | 'figures'>;

export const Event: EventResolvers = {
  ...entityFields,
  involvements: (parent, { first }, ctx) =>
    firstOf('Event.involvements', ctx.services.reader.involvements(parent.id), first),
};

export const Actor: ActorResolvers = {
  ...(entityFields as Pick<ActorResolvers, 'claims' | 'relations' | 'figures'>),
};
export const Place: PlaceResolvers = {
  ...(entityFields as Pick<PlaceResolvers, 'claims' | 'relations' | 'figures'>),
};
