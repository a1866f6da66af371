import { statement, type Statement } from '../executor.js';

export const appendAudit = statement(
  'audit.append',
  `CREATE (a:AuditRecord {id: $id, at: datetime(), operation: $operation, actor: $actor, role: $role,
     keyId: $keyId, inputDigest: $inputDigest, affectedIds: $affectedIds, changesJson: $changesJson,
     requestId: $requestId, clientRequestId: $clientRequestId})
   RETURN a.id AS id`,
);

/**
 * The audit record of a read that hands data out (an export over HTTP): it changes nothing, so it has no
 * changes; what it handed out (format, clearance, counts) is in detailsJson.
 */
export const appendReadAudit = statement(
  'audit.appendRead',
  `CREATE (a:AuditRecord:ReadAudit {id: $id, at: datetime(), operation: $operation, actor: $actor, role: $role,
     keyId: $keyId, inputDigest: $inputDigest, affectedIds: $affectedIds, changesJson: '[]',
     detailsJson: $detailsJson, requestId: $requestId, clientRequestId: $clientRequestId})
   RETURN a.id AS id`,
);

/**
 * How many changes the store has taken: every write (mutation, import, restore, API key) appends an
 * AuditRecord in its own transaction and none is ever removed, so an equal mark before and after a read
 * means no write committed during it. An export's own record (ReadAudit) changes no evidence and is not
 * counted, so exports cannot keep a backup from reading. Both counts come from the count store: no scan.
 */
export const changeMark = statement(
  'audit.changeMark',
  `CALL () { MATCH (a:AuditRecord) RETURN count(a) AS all }
   CALL () { MATCH (r:ReadAudit) RETURN count(r) AS reads }
   RETURN all - reads AS n`,
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

/** Audit filter shared by the page and the count. */
const AUDIT_FILTER = `WHERE ($operation IS NULL OR a.operation = $operation)
     AND ($keyId IS NULL OR a.keyId = $keyId)
     AND ($affectedId IS NULL OR $affectedId IN a.affectedIds)
     AND ($from IS NULL OR a.at >= datetime($from))
     AND ($to IS NULL OR a.at <= datetime($to))`;

/**
 * A page of the audit log, newest first, keyset after ($afterAt, $afterId); $limit rows (the caller asks
 * one more than it shows). With total, the number of matching records too. Always one row.
 */
export function auditPage(total: boolean): Statement {
  return statement(
    `audit.log${total ? '+total' : ''}`,
    `${total ? `CALL () { MATCH (a:AuditRecord) ${AUDIT_FILTER} RETURN count(a) AS total }` : 'WITH null AS total'}
     CALL () {
       MATCH (a:AuditRecord) ${AUDIT_FILTER}
         AND ($afterAt IS NULL OR a.at < datetime($afterAt) OR (a.at = datetime($afterAt) AND a.id < $afterId))
       WITH a ORDER BY a.at DESC, a.id DESC LIMIT toInteger($limit)
       RETURN collect(a {.*}) AS rows
     }
     RETURN total, rows`,
  );
}
