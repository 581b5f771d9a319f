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

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n)) throw new Error(`expected an integer, got "${value}"`);
  return n;
}

function persistedQueryMode(value: string | undefined): PersistedQueryMode {
  if (value === undefined || value === '') return 'off';
  if (!(PERSISTED_QUERY_MODES as readonly string[]).includes(value)) throw new Error(`PERSISTED_QUERIES must be one of ${PERSISTED_QUERY_MODES.join(', ')}, got "${value}"`);
  return value as PersistedQueryMode;
}

/** The URL carries the password: errors name the variable, never its value. */
function smtpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('SMTP_URL is not a URL');
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    throw new Error('SMTP_URL must be smtp://host[:port] or smtps://host[:port]');
  }
  return value;
}

function mailConfig(env: NodeJS.ProcessEnv, dataDir: string): MailConfig {
  if (env.SMTP_URL && !env.MAIL_FROM) throw new Error('MAIL_FROM is required when SMTP_URL is set');
  return {
    smtpUrl: smtpUrl(env.SMTP_URL),
    from: env.MAIL_FROM || 'Coursegraph <no-reply@localhost>',
    timeoutMs: int(env.SMTP_TIMEOUT_MS, 20_000),
    mailboxDir: `${dataDir}/mailbox`,
  };
}

// A CSP host source: scheme://host[:port], the host possibly starting with "*." (no path, nothing that ends the directive).
const FRAME_SOURCE = /^(\*|'self'|'none'|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5}|:\*)?)$/i;

function frameAncestors(value: string | undefined): string[] {
  const sources = (value ?? '*').split(/[\s,]+/).filter((source) => source !== '');
  const bad = sources.find((source) => !FRAME_SOURCE.test(source));
  if (bad !== undefined) throw new Error(`PLAYER_FRAME_ANCESTORS takes origins (https://lms.example.com), *, 'self' or 'none'; got "${bad}"`);
  if (sources.length === 0) throw new Error(`PLAYER_FRAME_ANCESTORS is empty: say 'none' to allow no embedding`);
  return sources;
}

/** Reads the configuration; every variable is documented in the README. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const port = int(env.PORT, 4000);
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  return {
    env: nodeEnv,
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    appDatabaseUrl: env.APP_DATABASE_URL || undefined,
    dataDir: env.DATA_DIR ?? '.data',
    embeddedHome: env.EMBEDDED_PG_HOME || '/var/lib/coursegraph',
    shutdownGraceMs: int(env.SHUTDOWN_GRACE_MS, 20_000),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    // Content runs on an origin of its own: by default the same server under another host name.
    contentBaseUrl: (env.CONTENT_BASE_URL ?? (env.PUBLIC_URL ? env.PUBLIC_URL : `http://127.0.0.1:${port}`)).replace(/\/$/, ''),
    contentDir: env.CONTENT_DIR ?? `${env.DATA_DIR ?? '.data'}/content`,
    playerFrameAncestors: frameAncestors(env.PLAYER_FRAME_ANCESTORS),
    jwt: {
      issuer: env.JWT_ISSUER ?? 'coursegraph',
      audience: env.JWT_AUDIENCE ?? 'coursegraph-api',
      secret: env.JWT_SECRET || undefined,
      jwksUrl,
      algorithms: (env.JWT_ALGORITHMS ?? (jwksUrl ? 'RS256,ES256' : 'HS256')).split(',').map((s) => s.trim()),
      clockToleranceSec: int(env.JWT_CLOCK_TOLERANCE_SEC, 30),
    },
    serverSecret: env.SERVER_SECRET || undefined,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    persistedQueries: { mode: persistedQueryMode(env.PERSISTED_QUERIES), file: env.PERSISTED_QUERIES_FILE || undefined },
    mail: mailConfig(env, env.DATA_DIR ?? '.data'),
    limits: {
      bodyBytes: int(env.MAX_BODY_BYTES, 1_000_000),
      depth: int(env.MAX_QUERY_DEPTH, 12),
      aliases: int(env.MAX_QUERY_ALIASES, 30),
      tokens: int(env.MAX_QUERY_TOKENS, 5000),
      cost: int(env.MAX_QUERY_COST, 20000),
      pageSize: int(env.MAX_PAGE_SIZE, 100),
      ratePerMinute: int(env.RATE_LIMIT_PER_MINUTE, 1200),
      verifyPerMinute: Math.max(1, int(env.VERIFY_RATE_PER_MINUTE, 30)),
      authFailuresPerMinute: int(env.AUTH_FAILURES_PER_MINUTE, 30),
      uploadBytes: int(env.MAX_UPLOAD_BYTES, 200 * 1024 * 1024),
    },
    exports: {
      retentionHours: Math.max(1, int(env.EXPORT_RETENTION_HOURS, 24)),
      linkTtlSeconds: Math.max(10, int(env.EXPORT_LINK_TTL_SECONDS, 600)),
    },
    worker: {
      enabled: env.WORKER !== 'off',
      concurrency: int(env.WORKER_CONCURRENCY, 4),
      pollIntervalMs: int(env.WORKER_POLL_INTERVAL_MS, 2000),
      rescueIntervalMs: int(env.WORKER_RESCUE_INTERVAL_MS, 30_000),
    },
  };
}
