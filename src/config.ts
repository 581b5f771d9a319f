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
  publicUrl: string;
  /** Base URL content and the reference player are served from (a separate cookieless origin in production). */
  contentBaseUrl: string;
  /** Where imported SCORM packages are unpacked. */
  contentDir: string;
  /** CSP frame-ancestors of the reference player: which LMS pages may embed it. */
  playerFrameAncestors: string;
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
    /** Largest SCORM zip accepted for upload. */
    uploadBytes: number;
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
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    // Content runs on an origin of its own: by default the same server under another host name.
    contentBaseUrl: (env.CONTENT_BASE_URL ?? (env.PUBLIC_URL ? env.PUBLIC_URL : `http://127.0.0.1:${port}`)).replace(/\/$/, ''),
    contentDir: env.CONTENT_DIR ?? `${env.DATA_DIR ?? '.data'}/content`,
    playerFrameAncestors: env.PLAYER_FRAME_ANCESTORS ?? '*',
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
      uploadBytes: int(env.MAX_UPLOAD_BYTES, 200 * 1024 * 1024),
    },
  };
}
