import type { Resolvers } from '../generated/graphql.js';
import { Query as SystemQuery } from './system/Query.js';

/** All resolvers, merged per type. Each domain folder owns the fields of its types. */
export const resolvers: Resolvers = {
  Query: { ...SystemQuery },
};
