import { z } from 'zod';
import { badInput, requireRole } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import { auditPage, type AuditRecord } from '../graph/stores/audit.js';
import { MAX_ID_LENGTH } from '../limits.js';
import type { Viewer } from '../model/access.js';
import { isRealDay, MAX_YEAR, MIN_YEAR } from '../model/fuzzy-date.js';
import { decodeCursor, encodeCursor, pageSize } from './pagination.js';

/** The audit log: every change to the graph, appended in its own transaction; admins read it. */

const AUDIT_PAGE = { default: 20, max: 100 };

export interface AuditLogFilter {
  operation?: string | null;
  actorKeyId?: string | null;
  affectedId?: string | null;
  from?: string | null;
  to?: string | null;
}

/**
 * An ISO 8601 date-time with zone (Z or ±hh:mm; seconds and fractions optional) on a real calendar day,
 * years MIN_YEAR to MAX_YEAR: what Neo4j's datetime() reads without failing.
 */
const isoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })])
  .refine((v) => isRealDay(v.slice(0, 10)));

/** An ISO 8601 instant with zone, or a day (its start for `from`, its end for `to`). */
function instant(value: string | null | undefined, side: 'from' | 'to'): string | null {
  if (value === null || value === undefined) return null;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (day ? !isRealDay(value) : !isoInstant.safeParse(value).success) {
    throw badInput(
      `filter.${side} must be an ISO 8601 date-time with zone or a date YYYY-MM-DD (years ${String(MIN_YEAR).padStart(4, '0')} to ${MAX_YEAR})`,
      ['filter', side],
    );
  }
  return day ? `${value}T${side === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : value;
}

/** An audit log cursor: [at, id] of the last record shown, as auditLog encoded them. */
const AuditCursor = z.tuple([isoInstant, z.string().min(1).max(MAX_ID_LENGTH)]);

export class AuditService {
  constructor(
    private readonly executor: Executor,
    private readonly viewer: Viewer,
  ) {}

  async auditLog(
    args: { filter?: AuditLogFilter | null; first?: number | null; after?: string | null },
    total: boolean,
  ): Promise<{
    edges: { cursor: string; node: AuditRecord }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  }> {
    requireRole(this.viewer, 'admin', 'Reading the audit log');
    const first = pageSize(args.first, AUDIT_PAGE);
    const decoded = decodeCursor(args.after, 2);
    const cursor = decoded ? AuditCursor.safeParse(decoded).data : null;
    if (decoded && !cursor) throw badInput('after is not a cursor this field returned', ['after']);
    const f = args.filter ?? {};
    const from = instant(f.from, 'from');
    const to = instant(f.to, 'to');
    if (from && to && Date.parse(from) > Date.parse(to)) {
      throw badInput('filter.from is after filter.to', ['filter', 'from']);
    }
    const page = await auditPage(this.executor, {
      operation: f.operation ?? null,
      keyId: f.actorKeyId ?? null,
      affectedId: f.affectedId ?? null,
      from,
      to,
      after: cursor ?? null,
      limit: first + 1,
      withTotal: total,
    });
    const edges = page.records
      .slice(0, first)
      .map((node) => ({ cursor: encodeCursor([node.at, node.id]), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.records.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      // Only computed when selected; otherwise never resolved.
      totalCount: page.total ?? 0,
    };
  }
}
