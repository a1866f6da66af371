import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import type { RequestContext } from '../context.js';
import { checkCost } from '../cost.js';
import { errorBody } from './errors.js';
import { ErrorCode } from '../errors.js';

/**
 * What stops one request from taking the service down for others: the cost of a document (checked with its
 * variables before execution), the size of a response (measured before it is serialized) and readers that
 * never take their answer (dropped after a write stall). The limits themselves live in src/limits.ts and
 * src/config.ts.
 */

/** Refuses an operation whose cost is over the limit before any resolver runs (see src/cost.ts). */
export function costPlugin(maxCost: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          checkCost(schema, document, request.variables, operationName ?? undefined, maxCost);
        },
      };
    },
  };
}

/** Extra bytes JSON escaping adds to a string: 1 for " and \\, 5 for a control character (\\u0001). */
function escapes(s: string): number {
  let extra = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) extra += 5;
    else if (c === 0x22 || c === 0x5c) extra += 1;
  }
  return extra;
}

/**
 * True when `value` serialized as JSON would take more than `max` bytes. Walks the value and stops as soon as
 * the limit is passed, so an oversized answer costs at most `max` bytes of counting, never a 500 MB string.
 */
export function jsonLargerThan(value: unknown, max: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') size += Buffer.byteLength(v, 'utf8') + 2 + escapes(v);
    else if (v === null || v === undefined || typeof v !== 'object') size += 8;
    else if (Array.isArray(v)) {
      size += 2 + v.length;
      for (const item of v) stack.push(item);
    } else {
      for (const [k, item] of Object.entries(v)) {
        size += k.length + 4;
        stack.push(item);
      }
    }
    if (size > max) return true;
  }
  return false;
}

/**
 * Replaces a response larger than `maxBytes` with one LIMIT_EXCEEDED error before Apollo serializes it (a
 * 198 MB answer stalled every other client for seconds; a larger one failed as "Invalid string length").
 */
export function responseSizePlugin(maxBytes: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!jsonLargerThan({ data: result.data, errors: result.errors }, maxBytes)) return;
          contextValue.logger?.warn({ maxBytes }, 'response over the size limit replaced by an error');
          response.body.singleResult = {
            data: null,
            errors: errorBody(
              `The response is larger than the limit of ${maxBytes} bytes; ask for smaller pages, fewer fields or slices of source texts (text(start, end))`,
              ErrorCode.LIMIT_EXCEEDED,
              { limit: maxBytes },
            ).errors,
            ...(result.extensions ? { extensions: result.extensions } : {}),
          };
        },
      };
    },
  };
}

/** Bytes handed to the socket at a time, so that progress (drain) can be seen while a client reads. */
const WRITE_CHUNK = 64 * 1024;

/**
 * Drops the connection of a client that stops reading its response: the answer is written in 64 KiB pieces,
 * each after the previous one drained; if the client takes nothing for `ms` (no drain, or no finish after the
 * last piece) the socket is destroyed and the buffered answer freed (six clients that never read held 3.2 GB
 * for a minute). A slow client that keeps reading is never cut off.
 */
export function writeTimeout(ms: number): express.RequestHandler {
  return (_req, res, next) => {
    const end = res.end.bind(res) as (...args: unknown[]) => express.Response;
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
      if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (res.writableFinished || res.socket?.destroyed) return;
          res.log?.warn({ writeTimeoutMs: ms }, 'client stopped reading its response: connection dropped');
          res.socket?.destroy();
        }, ms);
        timer.unref();
      };
      res.once('finish', () => clearTimeout(timer));
      res.once('close', () => clearTimeout(timer));
      const body =
        typeof chunk === 'string' ? Buffer.from(chunk, (encoding as BufferEncoding) ?? 'utf8') : chunk;
      if (!Buffer.isBuffer(body) || body.length <= WRITE_CHUNK) {
        arm();
        return end(chunk, encoding, cb);
      }
      let offset = 0;
      const pump = () => {
        arm();
        while (offset < body.length) {
          const piece = body.subarray(offset, offset + WRITE_CHUNK);
          offset += piece.length;
          if (offset >= body.length) {
            end(piece, cb);
            return;
          }
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
      return res;
    }) as typeof res.end;
    next();
  };
}
