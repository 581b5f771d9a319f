import { createHash, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ContextDeps, Locale, RequestContext } from '../../shared/context';
import { badInput, forbidden } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { inTokenTenant } from '../../shared/token-context';
import { LtiLoginState, LtiPlatform } from './lti.entity';
import { loginStoragePage, type Page } from './lti.pages';
import { ltiUrls } from './lti.urls';
import { findPlatform } from './platform-lookup';

/** How long a login may take between initiation and launch. */
export const LOGIN_TTL_SECONDS = 600;

/** The cookie that binds a login to the browser that started it (one per login in flight). */
export const stateCookieName = (state: string): string => `cg_lti_${state}`;

export const hashState = (state: string): string => createHash('sha256').update(state).digest('hex');

/** The parameters of a third-party initiated login (query of a GET or form of a POST). */
export type LoginParams = Record<string, unknown>;

export type LoginAnswer = { kind: 'redirect'; url: string; cookie: string } | { kind: 'page'; page: Page; cookie: string };

const param = (params: LoginParams, name: string, max = 2048): string | null => {
  const value = params[name];
  return typeof value === 'string' && value !== '' && value.length <= max ? value : null;
};

/** A registered platform in the login's tenant: active, and knowing the deployment when one is named. */
async function platformFor(ctx: RequestContext, platformId: string, deploymentId: string | null): Promise<LtiPlatform> {
  const platform = await ctx.manager.findOneBy(LtiPlatform, { organizationId: ctx.orgId, id: platformId });
  if (!platform?.active) throw forbidden('This learning platform is not registered with Coursegraph');
  if (deploymentId !== null && !platform.deploymentIds.includes(deploymentId)) throw forbidden('The LTI deployment is not registered with this organization');
  return platform;
}

/** The cookie for a login: SameSite=None; Secure on https (the LMS frames the tool), Lax on plain http (development). */
function stateCookie(deps: ContextDeps, state: string): string {
  const secure = deps.config.publicUrl.startsWith('https:');
  return `${stateCookieName(state)}=1; Path=/lti; Max-Age=${LOGIN_TTL_SECONDS}; HttpOnly; ${secure ? 'SameSite=None; Secure' : 'SameSite=Lax'}`;
}

/**
 * OIDC third-party initiated login: finds the registration by issuer (and client id), stores a
 * fresh single-use state and nonce, and sends the browser to the platform's authorization
 * endpoint. The state is bound to the browser by a cookie and, when the platform offers it
 * (lti_storage_target), by the platform's client-side storage too.
 */
export async function initiateLogin(deps: ContextDeps, params: LoginParams, log: FastifyBaseLogger, locale: Locale): Promise<LoginAnswer> {
  const issuer = param(params, 'iss');
  const loginHint = param(params, 'login_hint');
  const targetLinkUri = param(params, 'target_link_uri');
  if (!issuer || !loginHint || !targetLinkUri) throw badInput('The login request lacks iss, login_hint or target_link_uri');
  const urls = ltiUrls(deps.config.publicUrl, '');
  if (targetLinkUri !== urls.launch && !targetLinkUri.startsWith(`${urls.launch}?`)) throw badInput('The target link is not a Coursegraph launch URL');
  const ref = await findPlatform(deps, issuer, param(params, 'client_id', 1000));
  if (!ref) throw forbidden('This learning platform is not registered with Coursegraph');
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const storageTarget = param(params, 'lti_storage_target', 200);
  const grant = { organizationId: ref.organizationId, purpose: 'lti-login', subject: ref.platformId };
  const platform = await inTokenTenant(deps, grant, log, async (ctx) => {
    const found = await platformFor(ctx, ref.platformId, param(params, 'lti_deployment_id', 255));
    await ctx.manager.query('DELETE FROM lti_login_state WHERE organization_id = $1 AND expires_at < now()', [ctx.orgId]);
    await ctx.manager.insert(LtiLoginState, {
      organizationId: ctx.orgId, id: newId(), platformId: found.id, stateHash: hashState(state), nonce, targetLinkUri, storageTarget, expiresAt: new Date(Date.now() + LOGIN_TTL_SECONDS * 1000), usedAt: null,
    });
    return found;
  }, false);
  const auth = new URL(platform.authUrl);
  const query: Record<string, string> = {
    scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: platform.clientId,
    redirect_uri: urls.launch, login_hint: loginHint, state, nonce,
  };
  const messageHint = param(params, 'lti_message_hint');
  if (messageHint) query.lti_message_hint = messageHint;
  for (const [k, v] of Object.entries(query)) auth.searchParams.set(k, v);
  const cookie = stateCookie(deps, state);
  if (!storageTarget) return { kind: 'redirect', url: auth.toString(), cookie };
  const page = loginStoragePage(locale, { authRequestUrl: auth.toString(), storageTarget, platformOrigin: auth.origin, state, nonce });
  return { kind: 'page', page, cookie };
}

/**
 * Takes the login a launch answers, once: the state must be known, unexpired, unused, of this
 * platform, and carry the id_token's nonce. Returns its target link; throws (nothing taken) otherwise.
 */
export async function consumeLogin(ctx: RequestContext, platformId: string, state: string, nonce: string): Promise<{ targetLinkUri: string }> {
  const row = await ctx.manager.findOneBy(LtiLoginState, { organizationId: ctx.orgId, stateHash: hashState(state) });
  if (!row || row.platformId !== platformId) throw badInput('The launch state does not match a login started in this browser');
  if (row.usedAt) throw badInput('This launch was already used; open the activity again');
  if (row.expiresAt.getTime() < Date.now()) throw badInput('The login took too long; open the activity again');
  if (row.nonce !== nonce) throw badInput('The id_token nonce does not match the login');
  const [, taken] = (await ctx.manager.query(
    'UPDATE lti_login_state SET used_at = now() WHERE organization_id = $1 AND id = $2 AND used_at IS NULL', [ctx.orgId, row.id],
  )) as [unknown, number];
  if (taken !== 1) throw badInput('This launch was already used; open the activity again');
  return { targetLinkUri: row.targetLinkUri };
}

/** The nonce and storage frame of a login not yet consumed (for the client-side storage check page). */
export async function pendingLogin(ctx: RequestContext, platformId: string, state: string): Promise<{ nonce: string; storageTarget: string | null } | null> {
  const row = await ctx.manager.findOneBy(LtiLoginState, { organizationId: ctx.orgId, stateHash: hashState(state) });
  return row && row.platformId === platformId && !row.usedAt ? { nonce: row.nonce, storageTarget: row.storageTarget } : null;
}
