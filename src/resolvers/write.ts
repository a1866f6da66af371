import type { Resolvers } from '../generated/graphql.js';

/** The write API for evidence (schema/write.graphql): each field is one call of the write service. */
export const writeResolvers: Resolvers = {
  Mutation: {
    ingestSource: (_p, { input, idempotencyKey }, ctx) =>
      ctx.services.write.ingestSource(input, idempotencyKey),
    recordClaim: (_p, { input, idempotencyKey }, ctx) =>
      ctx.services.write.recordClaim(input, idempotencyKey),
    createEntity: (_p, { input, idempotencyKey }, ctx) =>
      ctx.services.write.createEntity(input, idempotencyKey),
    updateEntity: (_p, { id, version, patch, idempotencyKey }, ctx) =>
      ctx.services.write.updateEntity(id, version, patch, idempotencyKey),
    linkEntities: (_p, { input, idempotencyKey }, ctx) =>
      ctx.services.write.linkEntities(input, idempotencyKey),
    disputeClaim: (_p, { id, reason, idempotencyKey }, ctx) =>
      ctx.services.write.disputeClaim(id, reason, idempotencyKey),
    retractClaim: (_p, { id, reason, idempotencyKey }, ctx) =>
      ctx.services.write.retractClaim(id, reason, idempotencyKey),
    setSensitivity: (_p, { id, sensitivity, idempotencyKey }, ctx) =>
      ctx.services.write.setSensitivity(id, sensitivity, idempotencyKey),
  },
};
