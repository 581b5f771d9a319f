/**
 * How long one request to a platform may take. Roster syncs call the platform inside a GraphQL
 * request that holds a pooled connection and its transaction: 5 s, as dynamic registration, not
 * 15 (the fuzz test's platforms at unreachable URLs held connections past clients' timeouts).
 */
export const PLATFORM_TIMEOUT_MS = 5_000;

/**
 * A platform's service refused or failed a request (or could not be reached). Carries the HTTP
 * status (0: unreachable) and the OAuth/`error` code of the body when there was one, never the
 * body itself (it may echo tokens). The job lets it propagate, so graphile-worker retries later;
 * the sync mutation reports it as a PLATFORM_ERROR payload error.
 */
export class LtiPlatformError extends Error {
  constructor(readonly status: number, readonly url: string, readonly code: string | null, detail: string) {
    super(`LTI platform ${status ? `answered ${status}` : 'unreachable'} for ${url}${code ? ` (${code})` : ''}: ${detail}`);
    this.name = 'LtiPlatformError';
  }
}

/** The origin and path of a URL, for messages (no query: it may carry ids or secrets). */
const shown = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
};

/** Only http(s) URLs are called; anything else is refused before a request is made. */
export function checkPlatformUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LtiPlatformError(0, shown(url), 'invalid_url', 'not a URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new LtiPlatformError(0, shown(url), 'invalid_url', 'not an http(s) URL');
  return u;
}

/** A request to a platform with a timeout; a non-2xx answer throws LtiPlatformError. */
export async function platformFetch(url: string, init: RequestInit): Promise<Response> {
  checkPlatformUrl(url);
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS) });
  } catch (err) {
    throw new LtiPlatformError(0, shown(url), null, err instanceof Error ? err.message : String(err));
  }
  if (res.ok) return res;
  const text = await res.text().catch(() => '');
  let code: string | null = null;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') code = body.error.slice(0, 100);
  } catch {
    // not JSON: no code
  }
  throw new LtiPlatformError(res.status, shown(url), code, res.statusText || 'error');
}
