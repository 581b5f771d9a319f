import * as jose from 'jose';
import { VerifiedTokens, signToken } from '../../../src/shared/signed-token';

const SECRET = 'unit-test-secret-0123456789abcdef';

describe('VerifiedTokens', () => {
  afterEach(() => jest.restoreAllMocks());

  const reader = (claims: Record<string, unknown>) => (typeof claims.s === 'string' ? { session: claims.s } : null);

  it('checks a signature once and answers repeats from memory', async () => {
    const tokens = new VerifiedTokens(SECRET, 'p', reader);
    const token = await signToken(SECRET, 'p', { s: 'one' }, 60);
    const verify = jest.spyOn(jose, 'jwtVerify');
    expect(await tokens.verify(token)).toEqual({ session: 'one' });
    expect(await tokens.verify(token)).toEqual({ session: 'one' });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses tokens of another purpose or secret, tampered ones and claims the reader rejects, and keeps none of them', async () => {
    const tokens = new VerifiedTokens(SECRET, 'p', reader);
    const verify = jest.spyOn(jose, 'jwtVerify');
    const good = await signToken(SECRET, 'p', { s: 'one' }, 60);
    const refused = [
      await signToken(SECRET, 'other', { s: 'one' }, 60),
      await signToken('another-secret-0123456789abcdef', 'p', { s: 'one' }, 60),
      await signToken(SECRET, 'p', { x: 'no session' }, 60),
      `${good.slice(0, -2)}xx`,
      'not a token',
    ];
    for (const token of refused) {
      expect(await tokens.verify(token)).toBeNull();
      expect(await tokens.verify(token)).toBeNull();
    }
    expect(verify).toHaveBeenCalledTimes(refused.length * 2);
  });

  it('forgets a token when it expires', async () => {
    const tokens = new VerifiedTokens(SECRET, 'p', reader);
    const token = await signToken(SECRET, 'p', { s: 'one' }, 5);
    expect(await tokens.verify(token)).toEqual({ session: 'one' });
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: Date.now() + 10_000 });
    try {
      expect(await tokens.verify(token)).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it('holds at most its capacity, dropping the oldest first', async () => {
    const tokens = new VerifiedTokens(SECRET, 'p', reader, 2);
    const [t1, t2, t3] = await Promise.all(['1', '2', '3'].map((s) => signToken(SECRET, 'p', { s }, 60)));
    for (const t of [t1, t2, t3]) await tokens.verify(t);
    const verify = jest.spyOn(jose, 'jwtVerify');
    await tokens.verify(t3);
    await tokens.verify(t2);
    expect(verify).toHaveBeenCalledTimes(0);
    await tokens.verify(t1);
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
