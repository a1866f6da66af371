import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type express from 'express';
import { AppError, ErrorCode } from '../errors.js';
import type { Database } from '../graph/database.js';
import { EXPORT_LIMITS } from '../limits.js';
import { clearance } from '../model/access.js';
import {
  checkExportAllowed,
  deliveredFormat,
  deliverExport,
  type DeliveredFormat,
} from '../services/export-delivery.js';
import { errorBody } from './errors.js';
import { clientRequestId, type ViewerGate } from './middleware.js';

/**
 * GET /export/{format}: the exports of `kg export` over HTTP, streamed (README, "Exports over HTTP").
 * Authentication as for /graphql (the same ViewerGate); who may have which format, the clearance and the
 * audit records are the service's (src/services/export-delivery.ts). Here: the HTTP side.
 *
 * - Refusals before the first byte (no key, unknown format, role, busy, the graph failing to answer) get
 *   a status and a GraphQL-shaped JSON body with a stable code, as /graphql's HTTP-level refusals.
 * - The body is chunked, without Content-Length: an export that fails after its first byte has its
 *   connection destroyed before the last chunk, so every HTTP client sees an incomplete transfer (curl:
 *   exit 18) and never a file that looks complete.
 * - A client that takes no byte for WRITE_TIMEOUT_MS is disconnected (its export would hold its slot).
 */

const MEDIA: Record<DeliveredFormat, { type: string; extension: string }> = {
  ftm: { type: 'application/x-ndjson; charset=utf-8', extension: 'ftm.json' },
  acled: { type: 'text/csv; charset=utf-8; header=present', extension: 'acled.csv' },
  prov: { type: 'application/json; charset=utf-8', extension: 'prov.json' },
  graphml: { type: 'application/xml; charset=utf-8', extension: 'graphml' },
  bundle: { type: 'application/json; charset=utf-8', extension: 'bundle.json' },
};

/** Headers of a streamed export; removed again when it is refused before its first byte. */
const EXPORT_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'x-export-clearance'];

/** Statuses of the codes an export can be refused with before its first byte (others: 500). */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.TOO_MANY_REQUESTS]: 429,
  [ErrorCode.DATABASE_UNAVAILABLE]: 503,
  [ErrorCode.DATABASE_TIMEOUT]: 503,
  [ErrorCode.DATABASE_MEMORY_LIMIT]: 503,
};

/**
 * Exports running at once, per API key and in all (EXPORT_LIMITS). rate-limiter-flexible, which throttles
 * failed key attempts, counts events per time window; this counts work in flight, released when it ends.
 */
export class ExportSlots {
  private readonly byKey = new Map<string, number>();
  private total = 0;

  constructor(
    readonly perKey: number = EXPORT_LIMITS.perKey,
    readonly max: number = EXPORT_LIMITS.total,
  ) {}

  /** A slot for the key (release it once, when the export ends), or which limit is reached. */
  take(key: string): { release: () => void } | { busy: 'key' | 'service' } {
    const mine = this.byKey.get(key) ?? 0;
    if (mine >= this.perKey) return { busy: 'key' };
    if (this.total >= this.max) return { busy: 'service' };
    this.byKey.set(key, mine + 1);
    this.total++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.byKey.get(key) ?? 1) - 1;
        if (left > 0) this.byKey.set(key, left);
        else this.byKey.delete(key);
      },
    };
  }

  /** Exports running now. */
  get running(): number {
    return this.total;
  }
}

function busy(which: 'key' | 'service', slots: ExportSlots): AppError {
  const seconds = EXPORT_LIMITS.retryAfterSeconds;
  const message =
    which === 'key'
      ? `An export with this API key is already running (at most ${slots.perKey} at a time); try again when it has finished`
      : `${slots.max} exports are running, the most the service runs at once; try again in ${seconds} s`;
  return new AppError(ErrorCode.TOO_MANY_REQUESTS, message, {
    retryAfterSeconds: seconds,
    http: { status: 429, headers: new Map([['retry-after', String(seconds)]]) },
  });
}

/**
 * The response as the export's output stream: a write completes when the response took it, waiting for
 * 'drain' when the client reads slowly, and the socket is destroyed when it takes nothing for `stallMs`.
 * A connection that closes before the response ends fails the stream, so the export stops.
 */
class ResponseOutlet extends Writable {
  /** Bytes handed to the connection. */
  bytes = 0;
  private stall: NodeJS.Timeout | undefined;
  /** The callback of a write waiting for 'drain'. */
  private waiting: ((err?: Error | null) => void) | undefined;

  constructor(
    private readonly res: express.Response,
    private readonly stallMs: number,
  ) {
    super({ decodeStrings: false });
    res.once('close', () => {
      clearTimeout(this.stall);
      if (res.writableEnded) return;
      const closed = new Error('The connection closed before the export finished');
      // A write waiting for 'drain' would wait forever: it fails, and so does the stream.
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(closed);
      else this.destroy(closed);
    });
  }

  override _write(chunk: string | Buffer, encoding: BufferEncoding, done: (err?: Error | null) => void) {
    if (this.res.destroyed) return done(new Error('The connection closed before the export finished'));
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.length;
    if (this.res.write(chunk, encoding)) return done();
    this.waiting = done;
    this.stall = setTimeout(() => {
      this.res.log.warn(
        { writeTimeoutMs: this.stallMs },
        'client stopped reading its export: connection dropped',
      );
      this.res.destroy();
    }, this.stallMs);
    this.res.once('drain', () => {
      clearTimeout(this.stall);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.();
    });
  }
}

/** Answers a failed export: a status and JSON before the first byte, an aborted connection after it. */
function fail(req: express.Request, res: express.Response, err: unknown): void {
  if (res.headersSent) {
    const closed = res.destroyed || req.socket.destroyed;
    req.log[closed ? 'warn' : 'error']({ err }, 'export failed after its first byte: connection aborted');
    res.destroy();
    return;
  }
  for (const h of EXPORT_HEADERS) res.removeHeader(h);
  if (!(err instanceof AppError)) {
    req.log.error({ err }, 'unexpected error in an export');
    res.status(500).json(errorBody('Internal error', ErrorCode.INTERNAL_SERVER_ERROR));
    return;
  }
  const {
    code: _code,
    http,
    ...extensions
  } = err.extensions as Record<string, unknown> & {
    http?: { status?: number; headers?: Map<string, string> };
  };
  for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
  const status = http?.status ?? STATUS[err.code] ?? 500;
  if (status >= 500) req.log.warn({ err }, 'export refused');
  res.status(status).json(errorBody(err.message, err.code, extensions));
}

function setExportHeaders(res: express.Response, format: DeliveredFormat, visible: readonly string[]) {
  const { type, extension } = MEDIA[format];
  const day = new Date().toISOString().slice(0, 10);
  res.status(200);
  res.setHeader('content-type', type);
  res.setHeader('content-disposition', `attachment; filename="hrkg-${day}.${extension}"`);
  // Records the caller may see are theirs, not a shared cache's.
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-export-clearance', visible.join(','));
}

export interface ExportRouteDeps {
  db: Database;
  gate: ViewerGate;
  slots: ExportSlots;
  writeTimeoutMs: number;
  /** The export itself (a test replaces it to fail or stall after the first byte). */
  deliver?: typeof deliverExport;
}

/** The handler of GET /export/{format} (other methods: 405). */
export function exportRoute(deps: ExportRouteDeps): express.RequestHandler {
  return async (req, res) => {
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      res.status(405).json(errorBody('Exports are fetched with GET', ApolloServerErrorCode.BAD_REQUEST));
      return;
    }
    let release: (() => void) | undefined;
    try {
      // The key first: without one, nothing about formats is answered.
      const viewer = await deps.gate.viewerOf(req);
      checkExportAllowed(viewer);
      const format = deliveredFormat(String(req.params.format ?? ''));
      checkExportAllowed(viewer, format);
      const slot = deps.slots.take(viewer.keyId ?? viewer.role);
      if ('busy' in slot) throw busy(slot.busy, deps.slots);
      release = slot.release;
      const requestId = String(req.id);
      const executor = deps.db.executor.forRequest(
        requestId,
        clearance(viewer.role),
        clientRequestId(req.headers),
      );
      setExportHeaders(res, format, executor.visible);
      const outlet = new ResponseOutlet(res, deps.writeTimeoutMs);
      // A failed write reaches the export (its next write or drain fails); the error is answered below.
      outlet.on('error', () => {});
      const delivered = await (deps.deliver ?? deliverExport)(executor, viewer, format, outlet, {
        sentBytes: () => outlet.bytes,
        flush: async () => {
          outlet.end();
          await finished(outlet);
        },
        logger: req.log,
      });
      res.end();
      req.log.info({ export: { ...delivered, bytes: outlet.bytes } }, 'export delivered');
    } catch (err) {
      fail(req, res, err);
    } finally {
      release?.();
    }
  };
}
