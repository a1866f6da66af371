import { ANONYMOUS, type Viewer } from '../auth/roles.js';
import type { Driver } from '../graph/driver.js';
import type { Executor } from '../graph/executor.js';
import { KeyService } from './auth.js';
import { EvidenceService } from './evidence.js';
import { ExploreService } from './explore.js';
import { ListingService } from './listing.js';
import { ReaderService } from './reader.js';
import { SystemService } from './system.js';
import { WriteService } from './write.js';
import { AdminService } from './admin.js';
import { IdentityService } from './identity.js';

/** The use cases resolvers may call, built per request around a request-scoped executor. */
export interface Services {
  system: SystemService;
  reader: ReaderService;
  evidence: EvidenceService;
  explore: ExploreService;
  listing: ListingService;
  keys: KeyService;
  write: WriteService;
  admin: AdminService;
  identity: IdentityService;
}

export interface ServiceDeps {
  executor: Executor;
  driver: Driver;
  uri: string;
  environment: string;
  /** Who is asking; defaults to anonymous. */
  viewer?: Viewer;
  /** Called after a key is revoked, to drop cached keys. */
  onKeyRevoked?: () => void;
}

export function createServices(deps: ServiceDeps): Services {
  // One reader per request: every service primes and reads the same loaders.
  const viewer = deps.viewer ?? ANONYMOUS;
  const reader = new ReaderService(deps.executor);
  return {
    system: new SystemService(deps.executor, deps.driver, deps.uri, deps.environment),
    reader,
    evidence: new EvidenceService(deps.executor, reader),
    explore: new ExploreService(deps.executor, reader),
    listing: new ListingService(deps.executor, reader),
    keys: new KeyService(deps.executor, viewer, deps.onKeyRevoked),
    write: new WriteService(deps.executor, reader, viewer, deps.executor.requestId),
    admin: new AdminService(deps.executor, reader, viewer, deps.executor.requestId),
    identity: new IdentityService(deps.executor, reader, viewer, deps.executor.requestId),
  };
}
