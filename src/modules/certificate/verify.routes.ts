import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ContextDeps } from '../../shared/context';
import { AppError } from '../../shared/errors';
import { msg } from '../../shared/i18n/message';
import { pickPageLocale } from '../../http/locale';
import { verificationJson, verifyCertificate, type CertificateVerification } from './certificate.verify';
import type { Locale } from '../../shared/context';
import type { PublicCertificateView } from './certificate-document';
import { renderVerifyPage, verifyPageHeaders } from './verify.page';

/** JSON when the path ends in `.json` or the client prefers JSON to HTML. */
function wantsJson(req: FastifyRequest, code: string): boolean {
  if (code.endsWith('.json')) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** What the page shows: the organization's name in the page's language. */
function publicView(v: CertificateVerification, locale: Locale): PublicCertificateView {
  return { ...v, organizationName: locale === 'en' && v.organizationNameEn ? v.organizationNameEn : v.organizationName };
}

/**
 * The public verify page, `GET /verify/<code>` (HTML) and `/verify/<code>.json` (JSON), no login.
 * Strictly rate-limited per address, on top of the global limit, so codes cannot be enumerated.
 */
export async function verifyRoutes(app: FastifyInstance, deps: ContextDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: deps.config.limits.verifyPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => `verify:${req.ip}`,
      errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', msg('Too many requests; retry in {seconds} s', { seconds: Math.ceil(ctx.ttl / 1000) })),
    });
    scope.get<{ Params: { code: string } }>('/verify/:code', async (req, reply) => {
      const raw = req.params.code;
      const json = wantsJson(req, raw);
      const view = await verifyCertificate(deps, json && raw.endsWith('.json') ? raw.slice(0, -5) : raw);
      const locale = pickPageLocale((req.query as { lang?: unknown }).lang, req.headers['accept-language']);
      void reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
      if (json) return reply.status(view ? 200 : 404).send(view ? { found: true, certificate: verificationJson(view, locale) } : { found: false, message: 'not found' });
      return reply.status(view ? 200 : 404).headers(verifyPageHeaders()).send(renderVerifyPage(view && publicView(view, locale), locale));
    });
  });
}
