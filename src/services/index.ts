import { ANONYMOUS, type Viewer } from '../model/access.js';
import type { Driver } from '../graph/driver.js';
import type { Executor } from '../graph/executor.js';
import { KeyService } from './keys.js';
import { NamesService } from './names.js';
import { ProvenanceService } from './provenance.js';
import { ExploreService } from './explore.js';
import { ListingService } from './listing.js';
import { RecordsService } from './records.js';
import { SystemService } from './system.js';
import { WriteService } from './write.js';
import { MergeService } from './merge.js';
import { IdentityService } from './identity.js';
import { AuditService } from './audit.js';
import { CorrectionsService } from './corrections.js';

/** The use cases resolvers may call, built per request around a request-scoped executor. */
export interface Services {
  system: SystemService;
  records: RecordsService;
  listing: ListingService;
  explore: ExploreService;
  provenance: ProvenanceService;
  identity: IdentityService;
  write: WriteService;
  merge: MergeService;
  audit: AuditService;
  keys: KeyService;
  names: NamesService;
  corrections: CorrectionsService;
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
  // One records service per request: every service primes and reads the same loaders.
  const viewer = deps.viewer ?? ANONYMOUS;
  const records = new RecordsService(deps.executor);
  const requestId = deps.executor.requestId;
  return {
    system: new SystemService(deps.executor, deps.driver, deps.uri, deps.environment),
    records,
    listing: new ListingService(deps.executor, records),
    explore: new ExploreService(deps.executor, records),
    provenance: new ProvenanceService(deps.executor, records),
    identity: new IdentityService(deps.executor, records, viewer, requestId),
    write: new WriteService(deps.executor, records, viewer, requestId),
    merge: new MergeService(deps.executor, records, viewer, requestId),
    audit: new AuditService(deps.executor, viewer),
    keys: new KeyService(deps.executor, viewer, deps.onKeyRevoked),
    names: new NamesService(deps.executor, records, viewer, requestId),
    corrections: new CorrectionsService(deps.executor, records, viewer, requestId),
  };
}
