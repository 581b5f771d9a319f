/**
 * Everything wrong with the configuration, reported at once: each problem names the variable and
 * what to do, never a value (some are secrets). The message of one problem is that problem.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The smallest secret accepted in production: 32 characters (`openssl rand -base64 48` gives 64). */
export const MIN_SECRET_LENGTH = 32;

const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * What production needs that development generates or defaults (README "Production"): secrets,
 * the application role's database password, a token issuer, the public URL links are built
 * from, and a mail server. The embedded database is allowed (DATABASE_URL is optional).
 */
export function productionProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const secret = (name: string, what: string): void => {
    const value = env[name];
    if (!value) problems.push(`${name} is required in production: ${what} (at least ${MIN_SECRET_LENGTH} characters, e.g. \`openssl rand -base64 48\`)`);
    else if (value.length < MIN_SECRET_LENGTH) problems.push(`${name} is too short: at least ${MIN_SECRET_LENGTH} characters`);
  };
  secret('SERVER_SECRET', 'the key of API key hashes, signed run-time tokens and sealed signing keys; keep it stable');
  if (!env.APP_DATABASE_URL && !env.APP_DB_PASSWORD) {
    problems.push('APP_DB_PASSWORD (or APP_DATABASE_URL) is required in production: the password of the coursegraph_app database role the service connects as');
  }
  if (!env.JWT_JWKS_URL && !env.JWT_SECRET) problems.push('JWT_JWKS_URL (or JWT_SECRET) is required in production: how bearer tokens are verified');
  else if (!env.JWT_JWKS_URL) secret('JWT_SECRET', 'the HS256 key tokens are signed with');
  if (!env.PUBLIC_URL) problems.push('PUBLIC_URL is required in production: the https URL users reach the service at (links in mail, certificates, SCORM commits)');
  else if (!isHttpUrl(env.PUBLIC_URL)) problems.push('PUBLIC_URL must be an http(s) URL');
  if (!env.SMTP_URL) problems.push('SMTP_URL is required in production: the mail server (smtp://user:pass@host:587 or smtps://…:465); without it mail would only reach a folder');
  else if (!env.MAIL_FROM) problems.push('MAIL_FROM is required when SMTP_URL is set');
  return problems;
}
