import type {
  ActorResolvers,
  ClaimResolvers,
  EventResolvers,
  FuzzyDate,
  PlaceResolvers,
  Resolvers,
} from '../generated/graphql.js';
import { firstOf } from './lists.js';
import { selectsDirectly } from './lookahead.js';

/**
 * Records by id (node, nodes) and the fields of every record type (schema/records.graphql,
 * schema/provenance.graphql): each field is read through the request's batched loaders (services/records.ts).
 */

/** Fields every entity kind resolves the same way. */
const entityFields = {
  claims: (parent, { status, first }, ctx) =>
    firstOf('Entity.claims', ctx.services.records.claimsAbout(parent.id, status), first),
  relations: (parent, { types, first }, ctx) =>
    firstOf('Entity.relations', ctx.services.records.relationsOf(parent.id, types), first),
  figures: (parent, { first }, ctx) =>
    firstOf('Entity.figures', ctx.services.records.figuresOf(parent.id), first),
} satisfies Pick<EventResolvers, 'claims' | 'relations' | 'figures'>;

const DATE_PROPERTIES = new Set(['date', 'endDate']);

const Claim: ClaimResolvers = {
  subject: (parent, _args, ctx) => ctx.services.records.entity(parent.subjectId),
  object: (parent, _args, ctx) =>
    parent.kind === 'relation' && parent.objectId ? ctx.services.records.entity(parent.objectId) : null,
  figure: (parent, _args, ctx) =>
    parent.kind === 'figure' && parent.objectId ? ctx.services.records.figure(parent.objectId) : null,
  value: (parent) => (parent.kind === 'attribute' ? parent.valueJson : null),
  date: (parent) =>
    parent.kind === 'attribute' && DATE_PROPERTIES.has(parent.property) && parent.valueJson
      ? (JSON.parse(parent.valueJson) as FuzzyDate)
      : null,
  excerpts: (parent, { first }, ctx) =>
    firstOf('Claim.excerpts', ctx.services.records.excerptsOfClaim(parent.id), first),
  sources: (parent, { first }, ctx) =>
    firstOf('Claim.sources', ctx.services.records.sourcesOfClaim(parent.id), first),
  attribution: (parent, { first }, ctx) =>
    firstOf('Claim.attribution', ctx.services.records.attribution(parent.id), first),
  conflicts: (parent, { first }, ctx) =>
    firstOf('Claim.conflicts', ctx.services.records.conflictsOfClaim(parent.id), first),
  supersededBy: (parent, _args, ctx) => ctx.services.records.supersededBy(parent.id),
  supersedes: (parent, { first }, ctx) =>
    firstOf('Claim.supersedes', ctx.services.records.supersedes(parent.id), first),
};

export const recordsResolvers: Resolvers = {
  Query: {
    // Asked for an entity's claims: the record and its evidence in one statement.
    node: (_parent, { id }, ctx, info) =>
      selectsDirectly(info, 'claims')
        ? ctx.services.records.nodeWithClaims(id)
        : ctx.services.records.node(id),
    nodes: (_parent, { ids }, ctx) => ctx.services.records.nodes(ids),
  },
  Node: { __resolveType: (record) => record.__kind },
  Entity: { __resolveType: (record) => record.__kind },
  Event: {
    ...entityFields,
    involvements: (parent, { first }, ctx) =>
      firstOf('Event.involvements', ctx.services.records.involvements(parent.id), first),
  },
  Actor: { ...(entityFields as Pick<ActorResolvers, 'claims' | 'relations' | 'figures'>) },
  Place: { ...(entityFields as Pick<PlaceResolvers, 'claims' | 'relations' | 'figures'>) },
  Relation: {
    from: (parent, _args, ctx) => ctx.services.records.entity(parent.fromId),
    to: (parent, _args, ctx) => ctx.services.records.entity(parent.toId),
    claims: (parent, { first }, ctx) =>
      firstOf('Relation.claims', ctx.services.records.claims(parent.claimIds), first),
    period: (parent, _args, ctx) => ctx.services.records.relationPeriod(parent.claimIds),
    firstCited: async (parent, _args, ctx) =>
      (await ctx.services.records.relationCited(parent.claimIds)).first,
    lastCited: async (parent, _args, ctx) => (await ctx.services.records.relationCited(parent.claimIds)).last,
  },
  Claim,
  Excerpt: {
    source: (parent, _args, ctx) => ctx.services.records.source(parent.sourceId),
  },
  Source: {
    text: (parent, { start, end }, ctx) => ctx.services.records.sourceText(parent, start, end),
    publisher: (parent, _args, ctx) => ctx.services.records.publisher(parent.id),
  },
  Figure: {
    subject: (parent, _args, ctx) => ctx.services.records.entity(parent.subjectId),
    shareOf: (parent, _args, ctx) => ctx.services.records.figureShareOf(parent.id),
    during: (parent, _args, ctx) => ctx.services.records.figureDuring(parent.id),
    claims: (parent, { first }, ctx) =>
      firstOf('Figure.claims', ctx.services.records.claimsOfFigure(parent.id), first),
    conflicts: (parent, { first }, ctx) =>
      firstOf('Figure.conflicts', ctx.services.records.conflictsOfFigure(parent.id), first),
  },
};
