import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCredentials, type Credentials, type JwtVerifier } from '../shared/auth';
import type { ContextDeps, RequestContext } from '../shared/context';
import { AppError, httpStatusOf } from '../shared/errors';
import { msg } from '../shared/i18n/message';
import { pickLocale } from './locale';

const WINDOW_MS = 60_000;
/** How long a refused or accepted API key is remembered, and how many of each. */
const KEY_MEMORY_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/** A map that forgets entries after `ttlMs` and drops the oldest beyond `max`: memory stays bounded whatever callers send. */
class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  constructor(private readonly max: number, private readonly ttlMs: number) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    if (hit) this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** What the guard found on a request before it reached a route. */
interface Screened {
  rateKey: string;
  /** A credential was sent (so a 401 is a failed authentication). */
  presented: boolean;
}

const apiKeyDigest = (keyId: string, secret: string): string => createHash('sha256').update(`cg_${keyId}_${secret}`).digest('base64url');

/**
 * Keeps garbage credentials away from the database and keys the rate limit on who is calling:
 * - a bearer JWT is verified (no database) and counted per subject, whatever the spelling of
 *   `Bearer`; an API key per key id once the database has accepted it, and per address until then;
 * - an API key the database refused is answered 401 from memory for a minute;
 * - an address whose credentials failed `maxFailures` times in a minute gets 429 for anything but
 *   a verified credential until the minute is over.
 * Counted per process (DESIGN §11: each copy of the API keeps its own counts).
 */
export class AuthGuard {
  private readonly screened = new WeakMap<FastifyRequest, Screened>();
  private readonly refusedKeys = new ExpiringMap<true>(MAX_REMEMBERED, KEY_MEMORY_MS);
  private readonly acceptedKeys = new ExpiringMap<string>(MAX_REMEMBERED, KEY_MEMORY_MS);
  private readonly failures = new ExpiringMap<{ count: number; until: number }>(MAX_REMEMBERED, WINDOW_MS);

  constructor(private readonly jwt: JwtVerifier, private readonly maxFailures: number) {}

  /** `onRequest`: decides the rate-limit key, or answers at once without touching the database. */
  async screen(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    let creds: Credentials;
    try {
      creds = readCredentials(req.headers);
    } catch {
      creds = { kind: 'none' };
    }
    const presented = req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined;
    const identity = await this.identify(creds);
    this.screened.set(req, { rateKey: identity ?? `ip:${req.ip}`, presented });
    // The 401 counts against the address when the response goes out (settle).
    if (creds.kind === 'apiKey' && this.refusedKeys.get(apiKeyDigest(creds.key.keyId, creds.key.secret))) {
      return refuse(req, reply, new AppError('UNAUTHENTICATED', 'Invalid or revoked API key'));
    }
    const failed = this.failures.get(req.ip);
    if (presented && !identity && this.maxFailures > 0 && failed && failed.count >= this.maxFailures) {
      const retry = Math.max(1, Math.ceil((failed.until - Date.now()) / 1000));
      void reply.header('retry-after', String(retry));
      return refuse(req, reply, new AppError('RATE_LIMITED', msg('Too many failed authentication attempts from this address; retry in {seconds} s', { seconds: retry })));
    }
  }

  /** The rate-limit bucket of a screened request. */
  rateKey(req: FastifyRequest): string {
    return this.screened.get(req)?.rateKey ?? `ip:${req.ip}`;
  }

  /** `onResponse`: a 401 to a request that carried a credential counts against its address. */
  settle(req: FastifyRequest, statusCode: number): void {
    if (statusCode === 401 && this.screened.get(req)?.presented) this.fail(req.ip);
  }

  /** Wraps the caller resolution so the guard learns which API keys the database accepted or refused. */
  watch(resolveCaller: ContextDeps['resolveCaller']): ContextDeps['resolveCaller'] {
    return async (ctx: RequestContext) => {
      const p = ctx.principal;
      if (p.kind !== 'apiKey') return resolveCaller(ctx);
      const digest = apiKeyDigest(p.keyId, p.secret);
      try {
        await resolveCaller(ctx);
      } catch (err) {
        if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
          this.acceptedKeys.delete(digest);
          this.refusedKeys.set(digest, true);
        }
        throw err;
      }
      this.acceptedKeys.set(digest, p.keyId);
    };
  }

  /** A verified identity for the credential, or null when it is absent or not (yet) verified. */
  private async identify(creds: Credentials): Promise<string | null> {
    if (creds.kind === 'apiKey') {
      const keyId = this.acceptedKeys.get(apiKeyDigest(creds.key.keyId, creds.key.secret));
      return keyId ? `apikey:${keyId}` : null;
    }
    if (creds.kind !== 'jwt') return null;
    try {
      const claims = await this.jwt.verify(creds.token);
      return `jwt:${claims.organization ?? ''}:${claims.subject}`;
    } catch {
      return null;
    }
  }

  private fail(address: string): void {
    const now = Date.now();
    const current = this.failures.get(address);
    if (current) current.count += 1;
    else this.failures.set(address, { count: 1, until: now + WINDOW_MS });
  }
}

function refuse(req: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  return reply.status(httpStatusOf(err.code)).send({ errors: [{ message: err.localized(pickLocale(req.headers['accept-language'])), extensions: { code: err.code } }] });
}
