import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContextDeps } from '../../shared/context';
import { AppError, httpStatusOf, notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import { pickLocale } from '../../http/locale';
import { inTokenTenant } from '../../shared/token-context';
import { Organization } from '../organization/organization.entity';
import { deepLinkingChoice } from './deep-linking';
import { dynamicRegistration, type RegistrationQuery } from './dynamic-registration';
import { handleLaunch } from './launch';
import { refusalPage, type Page } from './lti.pages';
import { initiateLogin, stateCookieName, type LoginParams } from './login';
import { toolJwks } from './tool-key';

const FORM_LIMIT = 64 * 1024;

const sendPage = (reply: FastifyReply, page: Page, status = 200) => reply.status(status).headers(page.headers).send(page.html);

/** Cookies of a request, by name (no dependency for a header this simple). */
function cookies(req: FastifyRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

const isConcurrencyConflict = (err: unknown): boolean => ['23505', '40001', '40P01'].includes((err as { driverError?: { code?: string } } | null)?.driverError?.code ?? '');

/** Runs a route; an expected refusal becomes a clear HTML page with its 4xx status, in the reader's language. */
async function withRefusalPage(req: FastifyRequest, reply: FastifyReply, fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fn();
  } catch (caught) {
    // Two launches of a new user at once: one wins, the other is asked to try again.
    const err = isConcurrencyConflict(caught) ? new AppError('CONFLICT', 'The launch crossed another one; open the activity again') : caught;
    if (!(err instanceof AppError) || err.code === 'INTERNAL_SERVER_ERROR') throw err;
    req.log.info({ refusal: err.message }, 'lti refusal');
    return sendPage(reply, refusalPage(pickLocale(req.headers['accept-language']), err.text), httpStatusOf(err.code));
  }
}

/** The organization a per-organization path names (slug or id). */
async function organizationOf(deps: ContextDeps, param: string): Promise<Organization> {
  const org = await deps.dataSource.manager.findOneBy(Organization, isUuid(param) ? { id: param } : { slug: param });
  if (!org) throw notFound('Organization');
  return org;
}

/**
 * LTI 1.3 tool routes: OIDC login initiation (GET/POST /lti/login), launch (POST /lti/launch, also
 * deep linking), the picker's choice (POST /lti/deep-link), and per organization the tool's JWKS
 * and dynamic registration. Forms are parsed here only (urlencoded, 64 KiB).
 */
export async function ltiRoutes(app: FastifyInstance, deps: ContextDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const locale = (req: FastifyRequest) => pickLocale(req.headers['accept-language']);

    const login = (params: LoginParams) => async (req: FastifyRequest, reply: FastifyReply) => withRefusalPage(req, reply, async () => {
      const answer = await initiateLogin(deps, params, req.log, locale(req));
      void reply.header('set-cookie', answer.cookie).header('cache-control', 'no-store');
      return answer.kind === 'redirect' ? reply.redirect(answer.url, 302) : sendPage(reply, answer.page);
    });
    scope.get('/lti/login', (req, reply) => login((req.query ?? {}) as LoginParams)(req, reply));
    scope.post('/lti/login', (req, reply) => login((req.body ?? {}) as LoginParams)(req, reply));

    scope.post('/lti/launch', async (req, reply) => withRefusalPage(req, reply, async () => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      const state = text(body.state);
      const ownOrigin = new URL(deps.config.publicUrl).origin;
      const answer = await handleLaunch(deps, {
        idToken: text(body.id_token), state, storageTarget: text(body.lti_storage_target), storageChecked: body.lti_storage_checked === '1',
      }, {
        cookie: state !== null && cookies(req).get(stateCookieName(state)) === '1',
        // A browser says where a form post comes from; a page of another site cannot make it say this one.
        sameOriginCheck: req.headers.origin === ownOrigin || req.headers['sec-fetch-site'] === 'same-origin',
      }, req.log, locale(req));
      if (state) void reply.header('set-cookie', `${stateCookieName(state)}=; Path=/lti; Max-Age=0`);
      void reply.header('cache-control', 'no-store');
      return answer.kind === 'redirect' ? reply.redirect(answer.url, 302) : sendPage(reply, answer.page);
    }));

    scope.post('/lti/deep-link', async (req, reply) => withRefusalPage(req, reply, async () =>
      sendPage(reply, await deepLinkingChoice(deps, (req.body ?? {}) as Record<string, unknown>, req.log, locale(req)))));

    scope.get<{ Params: { org: string } }>('/lti/:org/jwks', async (req, reply) => {
      const org = await organizationOf(deps, req.params.org);
      // The organization's public keys, for anyone; not read-only: the key is made on first use.
      const grant = { organizationId: org.id, purpose: 'lti-jwks', subject: org.id };
      const jwks = await inTokenTenant(deps, grant, req.log, (ctx) => toolJwks(ctx), false);
      return reply.headers({ 'content-type': 'application/json', 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' }).send(JSON.stringify(jwks));
    });

    scope.get<{ Params: { org: string } }>('/lti/:org/register', async (req, reply) => withRefusalPage(req, reply, async () =>
      sendPage(reply, await dynamicRegistration(deps, req.params.org, (req.query ?? {}) as RegistrationQuery, req.log, locale(req)))));
  });
}
