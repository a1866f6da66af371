import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/graph/database.js';
import { KeyService } from '../../src/services/keys.js';

/** Creates an API key of the given role (as the CLI does) and returns the headers to send it with. */
export async function keyHeaders(
  db: Database,
  role: 'viewer' | 'analyst' | 'admin',
  name = `test-${role}-${randomUUID().slice(0, 8)}`,
) {
  const key = await new KeyService(db.executor, { role: 'admin', keyId: null, name: 'test-setup' }).create(
    role,
    name,
  );
  return { headers: { authorization: `Bearer ${key.secret}` }, keyId: key.id, name, secret: key.secret };
}
