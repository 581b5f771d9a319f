/**
 * The built Open Badges code (dist/) in a process of its own, because jest's CommonJS module
 * loader cannot load the ES-module libraries it signs with (plain Node 20.19+ can).
 *
 * It serves two apps on one database (the application role's URL, so RLS applies):
 * - on SERVER_PORT, the whole service as buildServer makes it;
 * - on PORT, the Open Badges routes with revoked indexes the test sets, and lab endpoints that
 *   sign in an organization's tenant as the certificate module would:
 *   POST /lab/orgs/:orgId/badges (a BadgeSubject, dates as ISO strings) -> the signed credential
 *   POST /lab/orgs/:orgId/status-list ({ revokedIndexes }) -> the signed status list
 *   PUT  /lab/orgs/:orgId/revoked ([index, ...]) -> what the published status list reads
 * Errors answer { code } with the code's HTTP status. Prints "ready" when both listen.
 */
'use strict';

require('reflect-metadata');
const Fastify = require('fastify');
const dist = (file) => require(`../../dist/${file}`);
const { createDataSource } = dist('ormconfig');
const { loadConfig } = dist('src/config');
const { buildServer } = dist('src/server');
const { resolveCaller } = dist('src/modules/user/caller');
const { RequestContext } = dist('src/shared/context');
const { AppError, httpStatusOf } = dist('src/shared/errors');
const { openBadgeRoutes } = dist('src/modules/certificate/open-badge/open-badge.routes');
const { issueOpenBadge, signStatusList } = dist('src/modules/certificate/open-badge/open-badge.service');

const env = process.env;
const origin = `http://127.0.0.1:${env.PORT}`;

function subjectFrom(body) {
  return { ...body, issuedAt: new Date(body.issuedAt), validFrom: new Date(body.validFrom), validUntil: body.validUntil ? new Date(body.validUntil) : null };
}

async function labApp(dataSource, config) {
  const deps = { dataSource, config: { ...config, publicUrl: origin }, serverSecret: env.SERVER_SECRET, resolveCaller };
  const revoked = new Map();
  const app = Fastify();
  app.setErrorHandler((err, _req, reply) => {
    const code = err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR';
    reply.status(httpStatusOf(code)).send({ code, message: err.message });
  });
  const inTenant = (req, fn) => RequestContext.run(deps, { kind: 'system', organizationId: req.params.orgId, label: 'lab' }, app.log, fn);
  app.post('/lab/orgs/:orgId/badges', (req) => inTenant(req, (ctx) => issueOpenBadge(ctx, subjectFrom(req.body))));
  app.post('/lab/orgs/:orgId/status-list', (req) => inTenant(req, (ctx) => signStatusList(ctx, req.body.revokedIndexes)));
  app.put('/lab/orgs/:orgId/revoked', async (req) => {
    revoked.set(req.params.orgId, req.body);
    return { ok: true };
  });
  await openBadgeRoutes(app, deps, async (ctx) => revoked.get(ctx.orgId) || []);
  return app;
}

async function main() {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'lab-jwt-secret-0123456789abcdef', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', PUBLIC_URL: `http://127.0.0.1:${env.SERVER_PORT}`, CONTENT_DIR: env.CONTENT_DIR });
  const dataSource = createDataSource(env.DATABASE_URL, { extra: { max: 10 } });
  await dataSource.initialize();
  const server = await buildServer({ dataSource, config, serverSecret: env.SERVER_SECRET });
  await server.listen({ port: Number(env.SERVER_PORT), host: '127.0.0.1' });
  const lab = await labApp(dataSource, config);
  await lab.listen({ port: Number(env.PORT), host: '127.0.0.1' });
  process.stdout.write('ready\n');
  process.on('SIGTERM', async () => {
    await Promise.all([lab.close(), server.close()]);
    await dataSource.destroy();
    process.exit(0);
  });
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
