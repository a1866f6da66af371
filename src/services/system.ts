import { checkHealth, type DatabaseHealth } from '../graph/database.js';
import type { Driver } from '../graph/driver.js';
import type { Executor } from '../graph/executor.js';
import { appliedMigrations } from '../graph/stores/system.js';
import { packageVersion } from '../version.js';

export interface ServerInfoRecord {
  version: string;
  environment: string;
  database: DatabaseHealth & { migrations: string[] };
}

export class SystemService {
  constructor(
    private readonly executor: Executor,
    private readonly driver: Driver,
    private readonly uri: string,
    private readonly environment: string,
  ) {}

  health(): Promise<DatabaseHealth> {
    return checkHealth(this.driver, this.uri, this.executor.database);
  }

  async serverInfo(): Promise<ServerInfoRecord> {
    const health = await this.health();
    const migrations = health.status === 'up' ? await appliedMigrations(this.executor) : [];
    return { version: packageVersion, environment: this.environment, database: { ...health, migrations } };
  }
}
