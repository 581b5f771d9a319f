import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JwtVerifier } from '../../shared/auth';
import type { ContextDeps, RequestContext } from '../../shared/context';
import { contextOf, principalOf } from '../../http/request-context';
import { CONTENT_TYPES } from './report.files';
import { filterFromQuery, type ReportFilter } from './report.filter';
import { reportService, type ExportFormat } from './report.service';

/**
 * `attachment` with an ASCII fallback name and the real one in RFC 5987 `filename*` (RFC 6266), so
 * browsers and curl -J keep the Chinese name.
 */
export function attachmentHeader(name: string, ascii: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const today = (): string => new Date().toISOString().slice(0, 10);

/** Streams the rows, then audits the export (rows written, complete or not); the caller ends the transaction. */
async function streamExport(ctx: RequestContext, reply: FastifyReply, format: ExportFormat, filter: ReportFilter): Promise<void> {
  const rows = await reportService.open(ctx, filter);
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[format],
    'content-disposition': attachmentHeader(`证书报表-${today()}.${format}`, `certification-report-${today()}.${format}`),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': ctx.requestId,
  });
  // The first byte goes out now, whatever the size of the report.
  res.flushHeaders();
  await reportService.write(ctx, format, filter, rows, res);
}

async function handle(req: FastifyRequest, reply: FastifyReply, deps: ContextDeps, jwt: JwtVerifier, format: ExportFormat): Promise<void> {
  const filter = filterFromQuery(req.query as Record<string, unknown>);
  const ctx = contextOf(req, deps, await principalOf(req, deps, jwt));
  await ctx.begin(false);
  try {
    await streamExport(ctx, reply, format, filter);
    await ctx.finish(true);
  } catch (err) {
    await ctx.finish(false);
    if (!reply.sent) throw err;
    ctx.log.error({ err }, 'report export failed');
  }
}

/**
 * `GET /reports/certifications.csv` and `.xlsx`: the certification report with the filters of the
 * GraphQL field as query parameters, for the same bearer token or API key. The tenant transaction
 * holds a server-side cursor open until the response ends or the client goes away.
 */
export async function reportRoutes(app: FastifyInstance, deps: ContextDeps, jwt: JwtVerifier): Promise<void> {
  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/reports/certifications.${format}`, (req, reply) => handle(req, reply, deps, jwt, format));
  }
}
