import { statement } from '../executor.js';

export const appendAudit = statement(
  'audit.append',
  `CREATE (a:AuditRecord {id: $id, at: datetime(), operation: $operation, actor: $actor, role: $role,
     keyId: $keyId, inputDigest: $inputDigest, affectedIds: $affectedIds, changesJson: $changesJson,
     requestId: $requestId, clientRequestId: $clientRequestId})
   RETURN a.id AS id`,
);

/** Claims the key, or returns what an earlier request with the same key did. */
export const claimIdempotencyKey = statement(
  'idempotency.claim',
  `MERGE (i:IdempotencyKey {key: $key})
   ON CREATE SET i.operation = $operation, i.inputDigest = $inputDigest, i.createdAt = datetime(), i.fresh = true
   WITH i, coalesce(i.fresh, false) AS fresh
   REMOVE i.fresh
   RETURN fresh, i.operation AS operation, i.inputDigest AS inputDigest, i.resultJson AS resultJson`,
);

export const storeIdempotentResult = statement(
  'idempotency.store',
  'MATCH (i:IdempotencyKey {key: $key}) SET i.resultJson = $resultJson',
);
