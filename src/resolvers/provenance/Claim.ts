import type { ClaimResolvers, FuzzyDate } from '../../generated/graphql.js';
import { firstOf } from '../lists.js';

const DATE_PROPERTIES = new Set(['date', 'endDate']);

export const Claim: ClaimResolvers = {
  subject: (parent, _args, ctx) => ctx.services.reader.entity(parent.subjectId),
  object: (parent, _args, ctx) =>
    parent.kind === 'relation' && parent.objectId ? ctx.services.reader.entity(parent.objectId) : null,
  figure: (parent, _args, ctx) =>
    parent.kind === 'figure' && parent.objectId ? ctx.services.reader.figure(parent.objectId) : null,
  value: (parent) => (parent.kind === 'attribute' ? parent.valueJson : null),
  date: (parent) =>
    parent.kind === 'attribute' && DATE_PROPERTIES.has(parent.property) && parent.valueJson
      ? (JSON.parse(parent.valueJson) as FuzzyDate)
      : null,
  excerpts: (parent, { first }, ctx) =>
    firstOf('Claim.excerpts', ctx.services.reader.excerptsOfClaim(parent.id), first),
  sources: (parent, { first }, ctx) =>
    firstOf('Claim.sources', ctx.services.reader.sourcesOfClaim(parent.id), first),
  attribution: (parent, { first }, ctx) =>
    firstOf('Claim.attribution', ctx.services.reader.attribution(parent.id), first),
  conflicts: (parent, { first }, ctx) =>
    firstOf('Claim.conflicts', ctx.services.reader.conflictsOfClaim(parent.id), first),
};
