import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import send from '@fastify/send';
import type { JwtVerifier } from '../../shared/auth';
import type { ContextDeps } from '../../shared/context';
import { AppError } from '../../shared/errors';
import { isUuid, newId, toGlobalId } from '../../shared/ids';
import { isStorableText } from '../../shared/text';
import { Permission } from '../../shared/permissions';
import { VerifiedTokens } from '../../shared/signed-token';
import { inRequestContext } from '../../http/request-context';
import { frameAncestors } from './framing';
import { scormPackageService } from './scorm-package.service';
import { SCORM_PACKAGE_TYPE, scormVersionName } from './scorm-package.entity';
import { localize, msg } from '../../shared/i18n/message';
import { pickLocale } from '../../http/locale';

const BAD_MULTIPART = 'Send the package as multipart/form-data (with a boundary) in a field named "file"';

/**
 * Streams the multipart field `file` to `tmp`. A body that is not well-formed multipart (no
 * boundary, cut off, malformed part headers) is the client's mistake: busboy reports those as
 * plain errors without a system code, which become a 400 here; file-system errors stay 500s.
 */
async function receiveUpload(req: FastifyRequest, tmp: string): Promise<{ filename: string | null; truncated: boolean }> {
  try {
    const file = await req.file();
    if (!file) throw new AppError('BAD_USER_INPUT', BAD_MULTIPART);
    await pipeline(file.file, createWriteStream(tmp));
    return { filename: isStorableText(file.filename) ? file.filename : null, truncated: file.file.truncated };
  } catch (err) {
    const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
    if (err instanceof AppError || (typeof statusCode === 'number' && statusCode < 500)) throw err;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw err;
    throw new AppError('BAD_USER_INPUT', msg('{expected}: {reason}', { expected: BAD_MULTIPART, reason: err instanceof Error ? err.message : 'unreadable body' }));
  }
}

/** Purpose of the signed tokens in content URLs. */
export const CONTENT_TOKEN = 'content';

/**
 * `POST /scorm/packages` (multipart, field `file`): streams the zip to disk under the size cap,
 * then imports it. `GET /content/:token/*`: a package's files, by a signed token naming the
 * organization and package, with security headers and no cookies.
 */
export async function scormPackageRoutes(app: FastifyInstance, deps: ContextDeps, jwt: JwtVerifier): Promise<void> {
  const { config } = deps;
  await app.register(multipart, { limits: { fileSize: config.limits.uploadBytes, files: 1, fields: 10, parts: 11 } });

  app.post('/scorm/packages', async (req, reply) => {
    // Authorize before accepting the body; no transaction stays open while the client uploads.
    await inRequestContext(req, deps, jwt, async (ctx) => ctx.assert(Permission.COURSES_AUTHOR), true);
    const tmp = path.join(tmpdir(), `coursegraph-upload-${newId()}.zip`);
    try {
      const upload = await receiveUpload(req, tmp);
      if (upload.truncated) {
        const message = localize(msg('The package is larger than {max} bytes', { max: config.limits.uploadBytes }), pickLocale(req.headers['accept-language']));
        return reply.status(413).send({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
      }
      const pkg = await inRequestContext(req, deps, jwt, (ctx) => scormPackageService.importZip(ctx, tmp, upload.filename));
      return reply.status(201).send({ package: { id: toGlobalId(SCORM_PACKAGE_TYPE, pkg.id), title: pkg.title, version: scormVersionName(pkg.version), edition: pkg.edition, scos: pkg.scos } });
    } finally {
      await rm(tmp, { force: true });
    }
  });

  const framing = frameAncestors(config).content;
  // A SCO loads many files with one token: verified tokens are kept while valid.
  const contentTokens = new VerifiedTokens(deps.serverSecret, CONTENT_TOKEN, (c) => (isUuid(c.o) && isUuid(c.p) ? { o: c.o, p: c.p } : null));
  app.get('/content/:token/*', async (req, reply) => {
    const { token } = req.params as { token: string };
    const claims = await contentTokens.verify(token);
    if (!claims) throw new AppError('NOT_FOUND', 'Not found');
    // The still-encoded path after the token: `send` decodes it and refuses to leave the root.
    const encoded = (req.raw.url ?? '').split('?')[0].slice(`/content/${token}`.length);
    const file = await send(req.raw, encoded, { root: path.resolve(config.contentDir, claims.o, claims.p), index: false, dotfiles: 'deny' });
    if (file.type !== 'file') throw new AppError('NOT_FOUND', 'Not found');
    void reply.status(file.statusCode).headers(file.headers as Record<string, string>).headers({
      'content-security-policy': `frame-ancestors ${framing}`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, max-age=3600',
      'cross-origin-resource-policy': 'same-site',
    });
    return reply.send(file.stream);
  });
}
