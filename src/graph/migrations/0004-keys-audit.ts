import type { Migration } from './types.js';

export const migration: Migration = {
  id: '0004-keys-audit',
  description: 'API keys (hashed), audit records and idempotency keys',
  statements: [
    'CREATE CONSTRAINT apikey_id_unique IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE',
    'CREATE CONSTRAINT apikey_hash_unique IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE',
    'CREATE CONSTRAINT audit_id_unique IF NOT EXISTS FOR (a:AuditRecord) REQUIRE a.id IS UNIQUE',
    'CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditRecord) ON (a.at)',
    'CREATE INDEX audit_operation IF NOT EXISTS FOR (a:AuditRecord) ON (a.operation)',
    'CREATE CONSTRAINT idempotency_key_unique IF NOT EXISTS FOR (i:IdempotencyKey) REQUIRE i.key IS UNIQUE',
  ],
};
