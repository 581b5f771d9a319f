import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { JwtVerifier } from './shared/auth';
import type { ContextDeps } from './shared/context';
import { callerStatement, resolveCaller } from './modules/user/caller';
import { mountGraphQL } from './http/graphql';
import { AppError, httpStatusOf } from './shared/errors';
import { localize, msg } from './shared/i18n/message';
import { pickLocale } from './http/locale';
import { UserErrors } from './shared/payload';
import { scormPackageRoutes } from './modules/scorm/scorm-package.routes';
import { scormRuntimeRoutes } from './modules/scorm/runtime.routes';
import { createMetrics } from './http/metrics';
import { queueStats } from './jobs/queue-stats';
import { openBadgeRoutes } from './modules/certificate/open-badge/open-badge.routes';
import { verifyRoutes } from './modules/certificate/verify.routes';
import { reportRoutes } from './modules/report/report.routes';
import { reportExportRoutes } from './modules/report/report-export.routes';
import { certificateRoutes } from './modules/certificate/certificate.routes';
import { revokedStatusIndexes } from './modules/certificate/certificate.artifacts';
import { AuthGuard } from './http/auth-guard';
import { ltiRoutes } from './modules/lti/lti.routes';
import { learnerViewRoutes } from './modules/learner-view/learner-view.routes';
import type { DatabaseHealth } from './db/postmaster';

export interface ServerOptions {
  dataSource: DataSource;
  config: Config;
  /** Key for API key HMACs and signed run-time tokens. */
  serverSecret: string;
  /** Where JSON logs go (stdout by default). */
  logStream?: NodeJS.WritableStream;
  /** The embedded PostgreSQL this process supervises, if any (readiness and metrics). */
  database?: DatabaseHealth;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Paths whose last segment is a bearer credential (download links): logged without it. */
const SECRET_PATH = /^(\/reports\/exports\/)[^/?]+/;

/** Fastify's request log line, with the credential in a download link's path left out. */
function requestForLog(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: req.url.replace(SECRET_PATH, '$1[redacted]'), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/** Routes outside the rate limit and the credential screen: probes, and content a SCO loads by the file. */
const unlimited = (url: string): boolean => ['/healthz', '/readyz', '/metrics'].includes(url) || url.startsWith('/content/') || url.startsWith('/player/');

/**
 * Rate-limit bucket: the session token for SCORM commits (a classroom behind one address is many
 * learners), else the verified caller the guard found (or the address).
 */
function clientKey(guard: AuthGuard, req: FastifyRequest): string {
  if (req.url.startsWith('/scorm/commit/')) return `commit:${createHash('sha256').update(req.url.split('?')[0]).digest('base64url')}`;
  return guard.rateKey(req);
}

/** Builds the HTTP app (GraphQL, health, metrics) on a DataSource; tests and main share it. */
export async function buildServer({ dataSource, config, serverSecret, logStream, database }: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'], censor: '[redacted]' },
      serializers: { req: requestForLog },
    },
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    // Signed tokens travel in paths (content and commit URLs).
    routerOptions: { maxParamLength: 1024 },
    forceCloseConnections: 'idle',
  });
  const metrics = createMetrics(dataSource, database);
  const jwt = new JwtVerifier(config.jwt, serverSecret);
  const guard = new AuthGuard(jwt, config.limits.authFailuresPerMinute);
  const deps: ContextDeps = { dataSource, config, serverSecret, resolveCaller: guard.watch(resolveCaller), callerStatement: callerStatement(dataSource) };

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.setErrorHandler((err: FastifyError | AppError | UserErrors, req, reply) => {
    const locale = pickLocale(req.headers['accept-language']);
    if (err instanceof AppError) return reply.status(httpStatusOf(err.code)).send({ errors: [{ message: err.localized(locale), extensions: { code: err.code } }] });
    if (err instanceof UserErrors) {
      return reply.status(400).send({ errors: err.errors.map((e) => ({ message: localize(e.text, locale), path: e.path, extensions: { code: 'BAD_USER_INPUT', reason: e.code } })) });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'unhandled error');
    const message = status === 500 ? localize('Internal server error', locale) : status === 413 ? localize('Request body is too large', locale) : err.message;
    const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : status === 401 ? 'UNAUTHENTICATED' : status === 429 ? 'RATE_LIMITED' : 'BAD_USER_INPUT';
    void reply.status(status).send({ errors: [{ message, extensions: { code } }] });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ errors: [{ message: localize('Not found', pickLocale(req.headers['accept-language'])), extensions: { code: 'NOT_FOUND' } }] });
  });

  // Before the rate limit: it needs the guard's verdict on who is calling.
  app.addHook('onRequest', async (req, reply) => {
    if (!unlimited(req.url)) await guard.screen(req, reply);
  });
  app.addHook('onResponse', async (req, reply) => guard.settle(req, reply.statusCode));
  if (config.limits.ratePerMinute > 0) {
    await app.register(rateLimit, {
      max: config.limits.ratePerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => clientKey(guard, req),
      allowList: (req) => unlimited(req.url),
      errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', msg('Too many requests; retry in {seconds} s', { seconds: Math.ceil(ctx.ttl / 1000) })),
    });
  }

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (database && !database.up) return reply.status(503).send({ status: 'unavailable' });
    try {
      return { status: 'ready', queue: await queueStats(dataSource) };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  await scormPackageRoutes(app, deps, jwt);
  await scormRuntimeRoutes(app, deps, metrics);
  await openBadgeRoutes(app, deps, revokedStatusIndexes);
  await certificateRoutes(app, deps, jwt);
  await verifyRoutes(app, deps);
  await reportRoutes(app, deps, jwt);
  await reportExportRoutes(app, deps);
  await ltiRoutes(app, deps);
  await learnerViewRoutes(app, deps);
  await mountGraphQL(app, deps, jwt, metrics);
  return app;
}
