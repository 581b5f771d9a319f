import { LRUCache } from 'lru-cache';

/**
 * Verified tokens remembered until they expire (or `maxAgeMs` after verification, if sooner), the
 * least recently used leaving first beyond `capacity`. Hot routes get the same token again and
 * again (a front end's bearer on every request, a SCORM session's commit URL every few seconds),
 * and checking a signature again cost more than the rest of a small request. Only what
 * verification accepted is kept, by the token's whole text; expiry is checked against `Date.now()`
 * on every read.
 */
export class VerifiedCache<T> {
  private readonly entries: LRUCache<string, { value: T; until: number }>;

  constructor(capacity = 10_000, private readonly maxAgeMs = Number.POSITIVE_INFINITY) {
    this.entries = new LRUCache({ max: capacity });
  }

  /** `token`'s value: remembered, else what `verify` accepts (null: refused, not kept), kept until `expiresAt` (epoch ms). */
  async get(token: string, verify: () => Promise<{ value: T; expiresAt: number } | null>): Promise<T | null> {
    const hit = this.entries.get(token);
    if (hit && hit.until > Date.now()) return hit.value;
    if (hit) this.entries.delete(token);
    const verified = await verify();
    if (!verified) return null;
    const until = Math.min(verified.expiresAt, Date.now() + this.maxAgeMs);
    if (until > Date.now()) this.entries.set(token, { value: verified.value, until });
    return verified.value;
  }
}
