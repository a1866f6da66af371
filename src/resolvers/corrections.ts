import type { FuzzyDate, Resolvers } from '../generated/graphql.js';
import { firstOf } from './lists.js';

/**
 * Corrections (schema/corrections.graphql): updateSource, amendClaim, a source's publishedVia chain and the
 * earlier versions of sources and claims (history).
 */

const DATE_PROPERTIES = new Set(['date', 'endDate']);
const dateOf = (json: string | null | undefined): FuzzyDate | null =>
  json ? (JSON.parse(json) as FuzzyDate) : null;

export const correctionsResolvers: Resolvers = {
  Mutation: {
    updateSource: (_p, { id, version, patch, reason, idempotencyKey }, ctx) =>
      ctx.services.corrections.updateSource(id, version, patch, reason, idempotencyKey),
    amendClaim: (_p, { id, version, amendment, reason, idempotencyKey }, ctx) =>
      ctx.services.corrections.amendClaim(id, version, amendment, reason, idempotencyKey),
  },
  Source: {
    version: (parent) => parent.version,
    publishedVia: (parent, _args, ctx) => ctx.services.corrections.publishedVia(parent.id),
    history: (parent, { first }, ctx) =>
      firstOf('Source.history', ctx.services.corrections.sourceHistory(parent.id), first),
  },
  SourceVersion: {
    // Left null by the service when the caller may not see it.
    publisher: (parent, _args, ctx) =>
      parent.publisherId ? ctx.services.records.entity(parent.publisherId) : null,
  },
  FigureValues: {
    // The whole and the event as they were, each only when the caller may see it now.
    shareOf: (parent, _args, ctx) => {
      const id = (parent as { shareOfId?: string | null }).shareOfId;
      return id ? ctx.services.records.figure(id) : null;
    },
    during: async (parent, _args, ctx) => {
      const id = (parent as { duringId?: string | null }).duringId;
      const n = id ? await ctx.services.records.node(id) : null;
      return n && n.__kind === 'Event' ? (n as never) : null;
    },
  },
  PublicationHop: {
    outlet: (parent, _args, ctx) => ctx.services.records.entity(parent.actorId),
  },
  Claim: {
    version: (parent) => parent.version,
    history: async (parent, { first }, ctx) =>
      (await firstOf('Claim.history', ctx.services.corrections.claimHistory(parent.id), first)).map((v) => {
        const c = v.claim;
        return {
          version: v.version,
          amendedAt: v.amendedAt,
          amendedBy: v.amendedBy,
          reason: v.reason,
          summary: c.summary,
          role: (c.role as never) ?? null,
          position: (c as { position?: string | null }).position ?? null,
          periodStart: dateOf((c as { periodStartJson?: string | null }).periodStartJson),
          periodEnd: dateOf((c as { periodEndJson?: string | null }).periodEndJson),
          value: c.kind === 'attribute' ? c.valueJson : null,
          date:
            c.kind === 'attribute' && DATE_PROPERTIES.has(c.property) && c.valueJson
              ? (JSON.parse(c.valueJson) as FuzzyDate)
              : null,
          figure: v.figure as never,
        };
      }),
  },
};
