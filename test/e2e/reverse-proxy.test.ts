import { startTestApp, type TestApp } from '../support/app';

/**
 * Behind a reverse proxy (README "Production") every connection comes from the proxy: without
 * TRUST_PROXY all clients would share one address for the per-address limits, so one client's
 * lookups or failed logins would lock everyone out. With it, X-Forwarded-For from the listed
 * proxies names the client, and from anyone else it is ignored.
 */
const lookup = (t: TestApp, client: string) => fetch(`${t.url}/verify/NOSUCHCODE0000000000.json`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status);

test('with TRUST_PROXY the per-address limits count each forwarded client apart', async () => {
  const t = await startTestApp({ TRUST_PROXY: '127.0.0.1', VERIFY_RATE_PER_MINUTE: '1' });
  try {
    expect([await lookup(t, '203.0.113.7'), await lookup(t, '198.51.100.9'), await lookup(t, '203.0.113.7')]).toEqual([404, 404, 429]);
  } finally {
    await t.close();
  }
});

test('without TRUST_PROXY (or from a proxy not listed) X-Forwarded-For is not believed', async () => {
  for (const env of [{}, { TRUST_PROXY: '10.0.0.0/8' }]) {
    const t = await startTestApp({ ...env, VERIFY_RATE_PER_MINUTE: '1' });
    try {
      expect({ env, statuses: [await lookup(t, '203.0.113.7'), await lookup(t, '198.51.100.9')] }).toEqual({ env, statuses: [404, 429] });
    } finally {
      await t.close();
    }
  }
});

test('a TRUST_PROXY that is not addresses is refused with the other problems', async () => {
  await expect(startTestApp({ TRUST_PROXY: 'true', PORT: 'x' })).rejects.toThrow(/2 configuration problems:[\s\S]*PORT must be an integer[\s\S]*TRUST_PROXY takes/);
});
