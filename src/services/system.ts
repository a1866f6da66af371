import { checkHealth, type DatabaseHealth } from '../graph/database.js';
import type { Driver } from '../graph/driver.js';
import { statement, type Executor } from '../graph/executor.js';
import { packageVersion } from '../version.js';

const listMigrations = statement(
  'system.listMigrations',
  'MATCH (m:Migration) RETURN m.id AS id ORDER BY m.id',
);

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
    const migrations =
      health.status === 'up' ? (await this.executor.read(listMigrations)).map((r) => String(r.id)) : [];
    return { version: packageVersion, environment: this.environment, database: { ...health, migrations } };
  }
}
