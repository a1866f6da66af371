import type { Resolvers } from '../../generated/graphql.js';

/** Resolvers of the evidence read fields (schema/read.graphql). */
export const evidenceResolvers: Resolvers = {};
