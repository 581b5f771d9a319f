import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ContextDeps } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import { inTokenTenant } from '../../shared/token-context';
import { ExportState, ReportExport } from './report-export.entity';
import { EXPORT_LINK, exportDir, readExportLink } from './report-export.link';
import { attachmentHeader } from './report.routes';
import { CONTENT_TYPES } from './report.files';

/** A link that was genuine but is no more (its time, or its file's, has passed): 410, and how to get a new one. */
const gone = (reply: FastifyReply, message: string) =>
  reply.status(410).send({ errors: [{ message, extensions: { code: 'NOT_FOUND', reason: 'EXPIRED' } }] });

/**
 * `GET /reports/exports/:token`: the file of a finished background export, for whoever holds the
 * signed link (no bearer: a browser or curl follows it). The token names the tenant, the export
 * and its file; the file is read in that tenant only. Forged links are 404, expired ones 410.
 */
export async function reportExportRoutes(app: FastifyInstance, deps: ContextDeps): Promise<void> {
  app.get('/reports/exports/:token', async (req, reply) => {
    const link = await readExportLink(deps.serverSecret, (req.params as { token: string }).token);
    if (link === 'expired') return gone(reply, 'This download link has expired; query certificationExport for a fresh one');
    if (link === 'invalid' || !isUuid(link.exportId)) throw notFound('Download');
    const grant = { organizationId: link.organizationId, purpose: EXPORT_LINK, subject: link.exportId };
    const e = await inTokenTenant(deps, grant, req.log, (ctx) => ctx.manager.findOneBy(ReportExport, { organizationId: ctx.orgId, id: link.exportId }));
    if (!e || (e.fileName !== link.fileName && e.state !== ExportState.EXPIRED)) throw notFound('Download');
    if (e.state !== ExportState.DONE || !e.expiresAt || e.expiresAt.getTime() <= Date.now()) return gone(reply, 'This export has expired; start a new one');
    const file = path.join(exportDir(deps.config, e.organizationId), link.fileName);
    const handle = await open(file).catch(() => null);
    if (!handle) return gone(reply, 'This export has expired; start a new one');
    const day = e.createdAt.toISOString().slice(0, 10);
    const ext = e.format.toLowerCase() as 'csv' | 'xlsx';
    return reply.headers({
      'content-type': CONTENT_TYPES[ext],
      'content-length': String((await handle.stat()).size),
      'content-disposition': attachmentHeader(`证书报表-${day}.${ext}`, `certification-report-${day}.${ext}`),
      'cache-control': 'private, no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    }).send(createReadStream('', { fd: handle }));
  });
}
