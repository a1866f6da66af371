import type { Viewer } from './model/access.js';
import type { Logger } from './logger.js';
import type { Services } from './services/index.js';

/** Everything a resolver may use for one request. Resolvers call services; services call the graph. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** Who is asking: role and API key (anonymous without one). */
  viewer: Viewer;
  services: Services;
  /** Database round trips made so far by this request (shown in development responses). */
  roundTrips(): number;
}
