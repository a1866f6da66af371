import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { RESPONSE_LIMITS } from './limits.js';
import { projectRoot } from './paths.js';

/**
 * The only reader of process.env. Everything else receives a typed Config, so that tests and the CLI
 * can build one explicitly and nothing depends on ambient state.
 */

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** An address, a subnet (address/bits) or one of Express's names for the private ranges. */
const isProxyAddress = (entry: string): boolean => {
  const e = entry.trim();
  if (['loopback', 'linklocal', 'uniquelocal'].includes(e)) return true;
  const [address = '', bits, ...rest] = e.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

const byteSize = z
  .string()
  .regex(/^\d+[kmg]?$/i, 'a size such as 512m or 2g')
  .describe('bytes, with an optional k/m/g suffix');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NEO4J_URI: z
    .string()
    .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\//, 'a bolt:// or neo4j:// URI')
    .optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().optional(),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  NEO4J_DATA_DIR: z.string().min(1).default('.neo4j/data'),
  NEO4J_BOLT_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  NEO4J_HEAP: byteSize.default('768m'),
  NEO4J_PAGECACHE: byteSize.default('256m'),
  /** Memory one transaction of the embedded Neo4j may use; default a quarter of NEO4J_HEAP. */
  NEO4J_TX_MEMORY: byteSize.optional(),
  /** Restarts of the embedded Neo4j after it dies, in a row, before the API gives up on it. */
  NEO4J_MAX_RESTARTS: z.coerce.number().int().min(0).default(10),
  NEO4J_START_TIMEOUT_MS: z.coerce.number().int().positive().default(180_000),
  NEO4J_TX_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  INTROSPECTION: booleanFromEnv.optional(),
  LOAD_SAMPLE: booleanFromEnv.default(true),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(6 * 1024 * 1024),
  /** Largest response (JSON bytes); a larger one is replaced by a LIMIT_EXCEEDED error. */
  MAX_RESPONSE_BYTES: z.coerce.number().int().positive().default(RESPONSE_LIMITS.maxBytes),
  /** A client that takes no byte of its response for this long is disconnected. */
  WRITE_TIMEOUT_MS: z.coerce.number().int().positive().default(RESPONSE_LIMITS.writeTimeoutMs),
  CORS_ORIGINS: z.string().default(''),
  /**
   * Proxies in front of the service whose X-Forwarded-For is believed (the client address is what failed
   * key attempts are counted against): off by default; a hop count, or comma-separated addresses/subnets
   * (Express's names loopback, linklocal, uniquelocal too). Never "true": anyone could claim any address.
   */
  TRUST_PROXY: z
    .string()
    .refine(
      (v) => v === 'off' || v === 'false' || /^\d{1,2}$/.test(v) || v.split(',').every(isProxyAddress),
      'off, a hop count, or comma-separated addresses/subnets (loopback, linklocal, uniquelocal); never true',
    )
    .default('off'),
  /** The built graph explorer served at `/` (npm run build puts it in dist/web); `off` serves none. */
  EXPLORER_DIR: z.string().min(1).default('dist/web'),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  neo4j: {
    /** A user's own Neo4j; when absent the embedded one is started. */
    uri: string | undefined;
    user: string;
    password: string | undefined;
    database: string;
    embedded: {
      dataDir: string;
      /** 0 picks a free port. */
      boltPort: number;
      heap: string;
      pagecache: string;
      /** db.memory.transaction.max; undefined: a quarter of the heap. */
      txMemory: string | undefined;
      startTimeoutMs: number;
      /** Restarts in a row (with backoff) after the process dies; 0: never restart. */
      maxRestarts: number;
    };
    txTimeoutMs: number;
  };
  /** Introspection and the Sandbox landing page; on by default outside production. */
  introspection: boolean;
  loadSample: boolean;
  /** Largest body from analysts and admins; anonymous callers and viewers get BODY_LIMITS.readerBytes. */
  maxBodyBytes: number;
  maxResponseBytes: number;
  writeTimeoutMs: number;
  corsOrigins: string[];
  /** Express's "trust proxy": false, a hop count or a list of trusted proxy addresses/subnets. */
  trustProxy: false | number | string[];
  /** Folder of the built explorer, absolute; null when disabled (EXPLORER_DIR=off). */
  explorerDir: string | null;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings in the environment mean "not set", as they do for most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    neo4j: {
      uri: e.NEO4J_URI,
      user: e.NEO4J_USER,
      password: e.NEO4J_PASSWORD,
      database: e.NEO4J_DATABASE,
      embedded: {
        dataDir: path.resolve(projectRoot, e.NEO4J_DATA_DIR),
        boltPort: e.NEO4J_BOLT_PORT,
        heap: e.NEO4J_HEAP,
        pagecache: e.NEO4J_PAGECACHE,
        txMemory: e.NEO4J_TX_MEMORY,
        startTimeoutMs: e.NEO4J_START_TIMEOUT_MS,
        maxRestarts: e.NEO4J_MAX_RESTARTS,
      },
      txTimeoutMs: e.NEO4J_TX_TIMEOUT_MS,
    },
    introspection: e.INTROSPECTION ?? e.NODE_ENV !== 'production',
    loadSample: e.LOAD_SAMPLE,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxResponseBytes: e.MAX_RESPONSE_BYTES,
    writeTimeoutMs: e.WRITE_TIMEOUT_MS,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    explorerDir: e.EXPLORER_DIR === 'off' ? null : path.resolve(projectRoot, e.EXPLORER_DIR),
    trustProxy:
      e.TRUST_PROXY === 'off' || e.TRUST_PROXY === 'false'
        ? false
        : /^\d+$/.test(e.TRUST_PROXY)
          ? Number(e.TRUST_PROXY)
          : e.TRUST_PROXY.split(',').map((s) => s.trim()),
  };
}
