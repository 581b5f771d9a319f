import type { TestApp } from './app';
import type { TestPlatform } from './lti-platform';

/** What the tool answered a login initiation with: the platform's authorization request and the browser's cookie. */
export interface LoginStarted {
  status: number;
  auth: URL;
  state: string;
  nonce: string;
  cookie: string;
}

/** A third-party initiated login as a platform sends it (GET by default), followed like a browser that keeps cookies. */
export async function startLogin(t: TestApp, platform: TestPlatform, over: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET'): Promise<LoginStarted> {
  const params = new URLSearchParams({
    iss: platform.issuer, login_hint: '42', target_link_uri: `${t.url}/lti/launch`, client_id: platform.clientId, lti_deployment_id: '1', lti_message_hint: 'msg-hint', ...over,
  });
  const res = method === 'GET'
    ? await fetch(`${t.url}/lti/login?${params}`, { redirect: 'manual' })
    : await fetch(`${t.url}/lti/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) return { status: res.status, auth: new URL('about:blank'), state: '', nonce: '', cookie: '' };
  const auth = new URL(location);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return { status: res.status, auth, state: auth.searchParams.get('state')!, nonce: auth.searchParams.get('nonce')!, cookie };
}

/** The platform's form post of an id_token to the tool's launch URL. */
export function postLaunch(t: TestApp, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}/lti/launch`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
