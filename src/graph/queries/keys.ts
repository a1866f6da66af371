import { statement } from '../executor.js';

export const createKey = statement(
  'keys.create',
  `CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, name: $name, createdAt: datetime(), createdBy: $createdBy})
   RETURN k.id AS id, k.role AS role, k.name AS name, toString(k.createdAt) AS createdAt`,
);

export const findKeyByHash = statement(
  'keys.findByHash',
  `MATCH (k:ApiKey {hash: $hash}) WHERE k.revokedAt IS NULL
   RETURN k.id AS id, k.role AS role, k.name AS name`,
);

export const revokeKey = statement(
  'keys.revoke',
  `MATCH (k:ApiKey {id: $id}) WHERE k.revokedAt IS NULL
   SET k.revokedAt = datetime(), k.revokedBy = $revokedBy
   RETURN k.id AS id`,
);

export const listKeys = statement(
  'keys.list',
  `MATCH (k:ApiKey) RETURN k.id AS id, k.role AS role, k.name AS name, toString(k.createdAt) AS createdAt,
     toString(k.revokedAt) AS revokedAt ORDER BY k.createdAt`,
);
