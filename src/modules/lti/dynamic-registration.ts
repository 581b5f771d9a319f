import type { FastifyBaseLogger } from 'fastify';
import type { ContextDeps, Locale, RequestContext } from '../../shared/context';
import { AppError, badInput, forbidden, notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import { inTokenTenant } from '../../shared/token-context';
import { UserErrors } from '../../shared/payload';
import { Organization } from '../organization/organization.entity';
import { LtiRegistrationMethod } from './lti.entity';
import { registeredPage, type Page } from './lti.pages';
import { checkSpec, ltiPlatformService } from './lti-platform.service';
import { ltiUrls } from './lti.urls';

const FETCH_TIMEOUT_MS = 5000;
const SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
];
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

/** The query the LMS opens the registration URL with (IMS LTI Dynamic Registration 1.0), plus the admin's one-time token. */
export interface RegistrationQuery {
  cg_token?: unknown;
  openid_configuration?: unknown;
  registration_token?: unknown;
}

async function fetchJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch {
    throw badInput('The learning platform could not be reached for registration');
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok || !body || typeof body !== 'object' || Array.isArray(body)) throw badInput('The learning platform refused the registration');
  return body as Record<string, unknown>;
}

/** The tool's client registration (OpenID Connect Dynamic Client Registration with the LTI tool configuration). */
function clientRegistration(ctx: RequestContext, org: Organization): Record<string, unknown> {
  const urls = ltiUrls(ctx.deps.config.publicUrl, org.slug);
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: [urls.launch],
    client_name: `Coursegraph (${org.name})`,
    jwks_uri: urls.jwks,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: SCOPES.join(' '),
    [TOOL_CONFIGURATION]: {
      domain: new URL(ctx.deps.config.publicUrl).host,
      target_link_uri: urls.launch,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, label: 'Coursegraph' }],
      description: 'Coursegraph courses and activities',
    },
  };
}

/** The platform's openid configuration, checked: its issuer has the configuration URL's origin. */
async function platformConfiguration(ctx: RequestContext, configUrl: string): Promise<Record<string, unknown>> {
  let url: URL;
  try {
    url = new URL(configUrl);
  } catch {
    throw badInput('The openid_configuration URL is invalid');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ctx.deps.config.env !== 'production')) throw badInput('The openid_configuration URL is invalid');
  const config = await fetchJson(url.toString());
  let issuerOrigin: string | null = null;
  try {
    issuerOrigin = typeof config.issuer === 'string' ? new URL(config.issuer).origin : null;
  } catch {
    issuerOrigin = null;
  }
  if (issuerOrigin !== url.origin) throw badInput('The platform\'s issuer does not match its configuration URL');
  return config;
}

/**
 * `GET /lti/<org>/register`: LTI Dynamic Registration. Only with a one-time link an org admin minted
 * (createLtiRegistrationLink): fetches and checks the platform's configuration, registers the tool
 * with it, stores the registration (as registerLtiPlatform would) and answers the page that tells
 * the platform to close the registration window. The link is spent only when all of it succeeds.
 */
export async function dynamicRegistration(deps: ContextDeps, orgParam: string, query: RegistrationQuery, log: FastifyBaseLogger, locale: Locale): Promise<Page> {
  const token = typeof query.cg_token === 'string' ? query.cg_token : '';
  const configUrl = typeof query.openid_configuration === 'string' ? query.openid_configuration : '';
  if (!token) throw forbidden('Dynamic registration needs a registration link from a Coursegraph administrator');
  if (!configUrl) throw badInput('The registration request has no openid_configuration');
  const org = await deps.dataSource.manager.findOneBy(Organization, isUuid(orgParam) ? { id: orgParam } : { slug: orgParam });
  if (!org) throw notFound('Organization');
  const grant = { organizationId: org.id, purpose: 'lti-registration', subject: org.id };
  return inTokenTenant(deps, grant, log, async (ctx) => {
    const maxRole = await ltiPlatformService.consumeRegistrationToken(ctx, token);
    if (!maxRole) throw forbidden('This registration link is invalid, used or expired');
    const config = await platformConfiguration(ctx, configUrl);
    const registrationToken = typeof query.registration_token === 'string' ? query.registration_token : null;
    const registered = await fetchJson(String(config.registration_endpoint ?? ''), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(registrationToken ? { authorization: `Bearer ${registrationToken}` } : {}) },
      body: JSON.stringify(clientRegistration(ctx, org)),
    });
    const tool = (registered[TOOL_CONFIGURATION] ?? {}) as Record<string, unknown>;
    const product = (config[PLATFORM_CONFIGURATION] ?? {}) as Record<string, unknown>;
    try {
      const spec = checkSpec(ctx, {
        name: typeof product.product_family_code === 'string' ? product.product_family_code : String(config.issuer),
        issuer: config.issuer, clientId: registered.client_id,
        deploymentIds: typeof tool.deployment_id === 'string' ? [tool.deployment_id] : [],
        authUrl: config.authorization_endpoint, tokenUrl: config.token_endpoint, jwksUrl: config.jwks_uri, maxRole,
      });
      await ltiPlatformService.create(ctx, spec, LtiRegistrationMethod.DYNAMIC);
    } catch (err) {
      if (err instanceof UserErrors) throw new AppError('BAD_USER_INPUT', err.errors[0].text);
      throw err;
    }
    return registeredPage(locale);
  }, false);
}
