import type { FastifyInstance } from 'fastify';
import type { JwtVerifier } from '../../shared/auth';
import type { ContextDeps } from '../../shared/context';
import { idOf } from '../../shared/ids';
import { inRequestContext } from '../../http/request-context';
import { badgeSubject, certificateDocument, downloadableCertificate } from './certificate.artifacts';
import { renderCertificatePdf } from './certificate.pdf';
import { CERTIFICATE_TYPE } from './certificate.resolver';
import { issueOpenBadge } from './open-badge/open-badge.service';

/** Downloads are private to whoever asked: never cached by a proxy, never sniffed. */
const PRIVATE = { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' };

/**
 * Downloads of one certificate, with the same bearer token or API key as the API, for its holder
 * and HR: `GET /certificates/<id>/pdf` (the printable certificate, in the request's language) and
 * `GET /certificates/<id>/credential` (a signed Open Badges 3.0 credential for a wallet).
 */
export async function certificateRoutes(app: FastifyInstance, deps: ContextDeps, jwt: JwtVerifier): Promise<void> {
  app.get<{ Params: { id: string } }>('/certificates/:id/pdf', async (req, reply) => {
    const { doc, locale } = await inRequestContext(req, deps, jwt, async (ctx) => {
      const c = await downloadableCertificate(ctx, idOf(CERTIFICATE_TYPE, req.params.id));
      return { doc: await certificateDocument(ctx, c), locale: ctx.locale };
    }, true);
    const pdf = await renderCertificatePdf(doc, locale);
    return reply.headers({ ...PRIVATE, 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${doc.number}.pdf"` }).send(pdf);
  });
  app.get<{ Params: { id: string } }>('/certificates/:id/credential', async (req, reply) => {
    const { credential, number } = await inRequestContext(req, deps, jwt, async (ctx) => {
      const c = await downloadableCertificate(ctx, idOf(CERTIFICATE_TYPE, req.params.id));
      return { credential: await issueOpenBadge(ctx, await badgeSubject(ctx, c)), number: c.number };
    });
    return reply.headers({ ...PRIVATE, 'content-type': 'application/ld+json; charset=utf-8', 'content-disposition': `attachment; filename="${number}.credential.json"` })
      .send(JSON.stringify(credential));
  });
}
