import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';

/** Claim names of LTI 1.3 (the spec's, spelled out here as a platform would). */
export const LTI = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  dlSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  dlData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const;

export const ROLE = {
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  admin: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
};

/** Claims of the next launch the authorization endpoint answers (the nonce is added from the request). */
export type ClaimsFor = (auth: URLSearchParams) => Record<string, unknown>;

/**
 * A tiny LTI 1.3 platform for tests (Moodle-shaped): RS256 keys and keyset, an OIDC authorization
 * endpoint answering with a form_post, an openid configuration and a dynamic-registration endpoint,
 * and a page embedding the tool in an iframe with the client-side postMessage storage.
 */
export class TestPlatform {
  url = '';
  clientId = 'moodle-generated-client-id';
  readonly registrations: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
  readonly storage = new Map<string, string>();
  /** Claims the authorization endpoint puts in the id_token it answers. */
  claimsFor: ClaimsFor = () => ({});
  private server!: Server;
  private key!: KeyLike;
  private jwk!: Record<string, unknown>;
  keysetFetches = 0;

  static async start(): Promise<TestPlatform> {
    const p = new TestPlatform();
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    p.key = privateKey;
    p.jwk = { ...(await exportJWK(publicKey)), kid: 'platform-key-1', alg: 'RS256', use: 'sig' };
    p.server = createServer((req, res) => void p.handle(req, res));
    await new Promise<void>((resolve) => p.server.listen(0, resolve));
    // localhost, not 127.0.0.1: another site than the tool's (the tool runs at 127.0.0.1).
    p.url = `http://localhost:${(p.server.address() as AddressInfo).port}`;
    return p;
  }

  get issuer(): string {
    return this.url;
  }

  get registration() {
    return { name: 'Test Moodle', issuer: this.issuer, clientId: this.clientId, deploymentIds: ['1'], authUrl: `${this.url}/auth`, tokenUrl: `${this.url}/token`, jwksUrl: `${this.url}/jwks` };
  }

  /** A signed id_token with the platform's key (or another key, to tamper). */
  async idToken(payload: Record<string, unknown>, options: { key?: KeyLike; kid?: string; expiresIn?: string | number; iat?: number } = {}): Promise<string> {
    const jwt = new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'platform-key-1', typ: 'JWT' });
    if (payload.iss === undefined) jwt.setIssuer(this.issuer);
    if (payload.aud === undefined) jwt.setAudience(this.clientId);
    jwt.setIssuedAt(options.iat);
    jwt.setExpirationTime(options.expiresIn ?? '5m');
    return jwt.sign(options.key ?? this.key);
  }

  /** A Moodle-like resource link launch's claims. */
  resourceLinkClaims(toolLaunchUrl: string, over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      sub: '42', name: '王小明', given_name: '小明', family_name: '王', email: 'xiaoming@moodle.test',
      [LTI.messageType]: 'LtiResourceLinkRequest', [LTI.version]: '1.3.0', [LTI.deploymentId]: '1',
      [LTI.targetLinkUri]: toolLaunchUrl, [LTI.resourceLink]: { id: '7', title: 'Coursegraph' },
      [LTI.roles]: [ROLE.learner], [LTI.context]: { id: '3', label: 'CS101', title: 'Customer service' },
      [LTI.ags]: { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/score'], lineitems: `${this.url}/lineitems`, lineitem: `${this.url}/lineitems/9` },
      [LTI.nrps]: { context_memberships_url: `${this.url}/memberships`, service_versions: ['2.0'] },
      ...over,
    };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  }

  private async body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/jwks') {
      this.keysetFetches += 1;
      return this.send(res, 200, 'application/json', JSON.stringify({ keys: [this.jwk] }));
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return this.send(res, 200, 'application/json', JSON.stringify({
        issuer: this.issuer, authorization_endpoint: `${this.url}/auth`, token_endpoint: `${this.url}/token`, jwks_uri: `${this.url}/jwks`,
        registration_endpoint: `${this.url}/register`, scopes_supported: ['openid'], response_types_supported: ['id_token'],
        'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '4.5', messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }] },
      }));
    }
    if (url.pathname === '/register' && req.method === 'POST') {
      const body = JSON.parse(await this.body(req)) as Record<string, unknown>;
      this.registrations.push({ authorization: req.headers.authorization, body });
      if (req.headers.authorization !== 'Bearer reg-token-123') return this.send(res, 401, 'application/json', '{"error":"unauthorized"}');
      const tool = body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<string, unknown>;
      return this.send(res, 200, 'application/json', JSON.stringify({ ...body, client_id: this.clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { ...tool, deployment_id: '1' } }));
    }
    if (url.pathname === '/auth') {
      const q = url.searchParams;
      const idToken = await this.idToken({ ...this.claimsFor(q), nonce: q.get('nonce') });
      const fields = { id_token: idToken, state: q.get('state') ?? '', ...(this.storageTarget ? { lti_storage_target: this.storageTarget } : {}) };
      const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('');
      return this.send(res, 200, 'text/html', `<form id="f" method="post" action="${q.get('redirect_uri')}">${inputs}</form><script>document.getElementById('f').submit()</script>`);
    }
    if (url.pathname === '/course-page') {
      // The LMS page: the tool in an iframe, and the platform's client-side storage (postMessage).
      const src = url.searchParams.get('login') ?? '';
      return this.send(res, 200, 'text/html', `<!doctype html><html><body><h1>LMS</h1><iframe id="tool" name="tool" src="${src.replace(/"/g, '&quot;')}" style="width:800px;height:600px"></iframe>
<script>
var store={};
window.addEventListener('message',function(e){var d=e.data||{};
  if(d.subject==='lti.put_data'){store[e.origin+'|'+d.key]=d.value;e.source.postMessage({subject:'lti.put_data.response',message_id:d.message_id,key:d.key,value:d.value},e.origin);}
  if(d.subject==='lti.get_data'){e.source.postMessage({subject:'lti.get_data.response',message_id:d.message_id,key:d.key,value:store[e.origin+'|'+d.key]},e.origin);}
});
</script></body></html>`);
    }
    this.send(res, 404, 'text/plain', 'not found');
  }

  /** lti_storage_target the authorization endpoint echoes in its form post (set for the iframe flow). */
  storageTarget: string | null = null;
}
