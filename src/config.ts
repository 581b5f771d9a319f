import { ConfigError, productionProblems } from './config-check';

/**
 * Who must send persisted operations: nobody, learner-facing callers (anonymous callers and
 * users whose only role is LEARNER), or every caller.
 */
export type PersistedQueryMode = 'off' | 'learners' | 'all';
export const PERSISTED_QUERY_MODES: readonly PersistedQueryMode[] = ['off', 'learners', 'all'];

/** Runtime configuration, read once from the environment. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /**
   * Which reverse proxies' X-Forwarded-For to believe for the client address (rate limits): false
   * (none) or their addresses and CIDR ranges. Behind a proxy without it, every client shares the
   * proxy's address.
   */
  trustProxy: false | string;
  /** Owner connection (runs migrations). Absent: embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  /** Connection for the application role; derived from databaseUrl when absent. */
  appDatabaseUrl?: string;
  dataDir: string;
  /** As root: where the embedded cluster goes when the `postgres` user cannot enter dataDir. */
  embeddedHome: string;
  /** How long a shutdown waits for in-flight requests before cutting them. */
  shutdownGraceMs: number;
  publicUrl: string;
  /** Base URL content and the reference player are served from (a separate cookieless origin in production). */
  contentBaseUrl: string;
  /** Where imported SCORM packages are unpacked. */
  contentDir: string;
  /**
   * CSP frame-ancestors sources of the LMS pages that may embed the reference player (origins,
   * `*`, `'self'` or `'none'`); the SCO frame inside the player allows them too.
   */
  playerFrameAncestors: string[];
  jwt: {
    issuer: string;
    audience: string;
    /** Shared secret (HS256) for development and demo tokens. */
    secret?: string;
    jwksUrl?: string;
    algorithms: string[];
    clockToleranceSec: number;
  };
  /** Key for API key HMACs and signed run-time tokens. */
  serverSecret?: string;
  logLevel: string;
  /** Persisted-query allowlist (DESIGN §6): who must send persisted operations, and the manifest of them. */
  persistedQueries: {
    mode: PersistedQueryMode;
    file?: string;
  };
  /** Outgoing email (README "Email"). */
  mail: MailConfig;
  limits: {
    bodyBytes: number;
    depth: number;
    aliases: number;
    tokens: number;
    cost: number;
    pageSize: number;
    /** Requests per minute per client (credential, or address when anonymous); 0 turns it off. */
    ratePerMinute: number;
    /** Public certificate lookups per minute per address (strict: codes must not be enumerable). */
    verifyPerMinute: number;
    /** Failed authentications per minute per client address before its unverified credentials get 429; 0 turns it off. */
    authFailuresPerMinute: number;
    /** Largest SCORM zip accepted for upload. */
    uploadBytes: number;
  };
  /** Background report exports (README "Reports"): how long a finished file is kept, and how long a download link lives. */
  exports: {
    retentionHours: number;
    linkTtlSeconds: number;
  };
  /** The job worker (README "Outbox and worker"): inside `npm start` unless WORKER=off; `npm run worker` runs it alone. */
  worker: {
    enabled: boolean;
    concurrency: number;
    pollIntervalMs: number;
    rescueIntervalMs: number;
  };
}

/** Outgoing email: an SMTP server, or the development mailbox when none is configured. */
export interface MailConfig {
  /**
   * smtp://user:pass@host:587 (STARTTLS required) or smtps://…:465 (TLS from the start); query
   * parameters are nodemailer options (`?requireTLS=false` for a local relay). Absent: the mailbox.
   */
  smtpUrl?: string;
  /** The From header, e.g. `培训中心 <training@example.com>`. */
  from: string;
  /** Connection, greeting and idle timeout of one SMTP conversation. */
  timeoutMs: number;
  /** Where the development mailbox writes `.eml` files. */
  mailboxDir: string;
}

/** Problems found while reading the environment; all are reported together (ConfigError). */
type Problems = string[];

function intOf(problems: Problems, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n)) problems.push(`${name} must be an integer, got "${value}"`);
  return Number.isFinite(n) ? n : fallback;
}

function persistedQueryMode(problems: Problems, value: string | undefined): PersistedQueryMode {
  if (value === undefined || value === '') return 'off';
  if ((PERSISTED_QUERY_MODES as readonly string[]).includes(value)) return value as PersistedQueryMode;
  problems.push(`PERSISTED_QUERIES must be one of ${PERSISTED_QUERY_MODES.join(', ')}, got "${value}"`);
  return 'off';
}

/** The URL carries the password: problems name the variable, never its value. */
function smtpUrl(problems: Problems, value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push('SMTP_URL is not a URL');
    return undefined;
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    problems.push('SMTP_URL must be smtp://host[:port] or smtps://host[:port]');
    return undefined;
  }
  return value;
}

function mailConfig(problems: Problems, env: NodeJS.ProcessEnv, dataDir: string): MailConfig {
  if (env.SMTP_URL && !env.MAIL_FROM) problems.push('MAIL_FROM is required when SMTP_URL is set');
  return {
    smtpUrl: smtpUrl(problems, env.SMTP_URL),
    from: env.MAIL_FROM || 'Coursegraph <no-reply@localhost>',
    timeoutMs: intOf(problems, 'SMTP_TIMEOUT_MS', env.SMTP_TIMEOUT_MS, 20_000),
    mailboxDir: `${dataDir}/mailbox`,
  };
}

/** TRUST_PROXY: unset, or the proxies' addresses/CIDRs (never "any": every client could then claim any address). */
function trustProxy(problems: Problems, value: string | undefined): false | string {
  if (!value) return false;
  const entries = value.split(',').map((s) => s.trim());
  if (entries.some((e) => !/^[0-9a-f.:]+(\/\d{1,3})?$/i.test(e))) problems.push('TRUST_PROXY takes the proxies\' addresses or CIDR ranges, e.g. 127.0.0.1 or 10.0.0.0/8,::1');
  return entries.join(',');
}

// A CSP host source: scheme://host[:port], the host possibly starting with "*." (no path, nothing that ends the directive).
const FRAME_SOURCE = /^(\*|'self'|'none'|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5}|:\*)?)$/i;

function frameAncestors(problems: Problems, value: string | undefined): string[] {
  const sources = (value ?? '*').split(/[\s,]+/).filter((source) => source !== '');
  const bad = sources.find((source) => !FRAME_SOURCE.test(source));
  if (bad !== undefined) problems.push(`PLAYER_FRAME_ANCESTORS takes origins (https://lms.example.com), *, 'self' or 'none'; got "${bad}"`);
  else if (sources.length === 0) problems.push(`PLAYER_FRAME_ANCESTORS is empty: say 'none' to allow no embedding`);
  return sources;
}

/**
 * Reads the configuration; every variable is documented in the README. Throws one ConfigError
 * listing every problem, including (with NODE_ENV=production) every setting production requires.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: Problems = [];
  const config = readConfig(problems, env);
  if (config.env === 'production') problems.push(...productionProblems(env));
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return config;
}

function readConfig(problems: Problems, env: NodeJS.ProcessEnv): Config {
  const int = (name: string, fallback: number): number => intOf(problems, name, env[name], fallback);
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const port = int('PORT', 4000);
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  return {
    env: nodeEnv,
    port,
    host: env.HOST ?? '127.0.0.1',
    trustProxy: trustProxy(problems, env.TRUST_PROXY),
    databaseUrl: env.DATABASE_URL || undefined,
    appDatabaseUrl: env.APP_DATABASE_URL || undefined,
    dataDir: env.DATA_DIR ?? '.data',
    embeddedHome: env.EMBEDDED_PG_HOME || '/var/lib/coursegraph',
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 20_000),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    // Content runs on an origin of its own: by default the same server under another host name.
    contentBaseUrl: (env.CONTENT_BASE_URL ?? (env.PUBLIC_URL ? env.PUBLIC_URL : `http://127.0.0.1:${port}`)).replace(/\/$/, ''),
    contentDir: env.CONTENT_DIR ?? `${env.DATA_DIR ?? '.data'}/content`,
    playerFrameAncestors: frameAncestors(problems, env.PLAYER_FRAME_ANCESTORS),
    jwt: {
      issuer: env.JWT_ISSUER ?? 'coursegraph',
      audience: env.JWT_AUDIENCE ?? 'coursegraph-api',
      secret: env.JWT_SECRET || undefined,
      jwksUrl,
      algorithms: (env.JWT_ALGORITHMS ?? (jwksUrl ? 'RS256,ES256' : 'HS256')).split(',').map((s) => s.trim()),
      clockToleranceSec: int('JWT_CLOCK_TOLERANCE_SEC', 30),
    },
    serverSecret: env.SERVER_SECRET || undefined,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    persistedQueries: { mode: persistedQueryMode(problems, env.PERSISTED_QUERIES), file: env.PERSISTED_QUERIES_FILE || undefined },
    mail: mailConfig(problems, env, env.DATA_DIR ?? '.data'),
    limits: {
      bodyBytes: int('MAX_BODY_BYTES', 1_000_000),
      depth: int('MAX_QUERY_DEPTH', 12),
      aliases: int('MAX_QUERY_ALIASES', 30),
      tokens: int('MAX_QUERY_TOKENS', 5000),
      cost: int('MAX_QUERY_COST', 20000),
      pageSize: int('MAX_PAGE_SIZE', 100),
      ratePerMinute: int('RATE_LIMIT_PER_MINUTE', 1200),
      verifyPerMinute: Math.max(1, int('VERIFY_RATE_PER_MINUTE', 30)),
      authFailuresPerMinute: int('AUTH_FAILURES_PER_MINUTE', 30),
      uploadBytes: int('MAX_UPLOAD_BYTES', 200 * 1024 * 1024),
    },
    exports: {
      retentionHours: Math.max(1, int('EXPORT_RETENTION_HOURS', 24)),
      linkTtlSeconds: Math.max(10, int('EXPORT_LINK_TTL_SECONDS', 600)),
    },
    worker: {
      enabled: env.WORKER !== 'off',
      concurrency: int('WORKER_CONCURRENCY', 4),
      pollIntervalMs: int('WORKER_POLL_INTERVAL_MS', 2000),
      rescueIntervalMs: int('WORKER_RESCUE_INTERVAL_MS', 30_000),
    },
  };
}
