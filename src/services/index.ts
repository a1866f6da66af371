import type { Driver } from '../graph/driver.js';
import type { Executor } from '../graph/executor.js';
import { ReaderService } from './reader.js';
import { SystemService } from './system.js';

/** The use cases resolvers may call, built per request around a request-scoped executor. */
export interface Services {
  system: SystemService;
  reader: ReaderService;
}

export interface ServiceDeps {
  executor: Executor;
  driver: Driver;
  uri: string;
  environment: string;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    system: new SystemService(deps.executor, deps.driver, deps.uri, deps.environment),
    reader: new ReaderService(deps.executor),
  };
}
