import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ContextDeps } from '../../shared/context';
import { pickPageLocale } from '../../http/locale';
import { frameAncestors } from '../scorm/framing';
import { LEARNER_ASSETS, learnerViewHeaders, learnerViewPage } from './learner-view.page';
import { LEARNER_VIEW_CSS } from './learner-view.style';

/**
 * The client scripts: plain browser scripts, beside this module in the sources, and in dist/ where
 * the build (tsconfig.build.json: `allowJs`, `moduleDetection: legacy`, so they stay scripts)
 * writes them; served without the build's source-map comment.
 */
const CLIENT_SCRIPTS = new Map(LEARNER_ASSETS.scripts.map((name) => [name,
  readFileSync(path.join(__dirname, 'client', name), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n')]));

const ASSET_HEADERS = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };

/**
 * `GET /learn`: the learner view (README "Learner view"), a server-rendered shell and a small
 * script that is a client of the public GraphQL API with the learner's bearer credential (from
 * the URL fragment `#token=`, kept in sessionStorage). `?course=`, `?activity=`, `?lang=` as the
 * README says; the language is `?lang`, else the browser's.
 */
export async function learnerViewRoutes(app: FastifyInstance, deps: ContextDeps): Promise<void> {
  const headers = {
    contentOrigin: new URL(deps.config.contentBaseUrl).origin,
    frameAncestors: frameAncestors(deps.config).learnerView,
  };
  app.get('/learn', async (req, reply) => {
    const locale = pickPageLocale((req.query as { lang?: unknown }).lang, req.headers['accept-language']);
    return reply.headers(learnerViewHeaders(headers)).send(learnerViewPage(locale));
  });
  for (const [name, script] of CLIENT_SCRIPTS) {
    app.get(`/learn/assets/${name}`, async (_req, reply) =>
      reply.headers({ 'content-type': 'application/javascript; charset=utf-8', ...ASSET_HEADERS }).send(script));
  }
  app.get(LEARNER_ASSETS.style, async (_req, reply) =>
    reply.headers({ 'content-type': 'text/css; charset=utf-8', ...ASSET_HEADERS }).send(LEARNER_VIEW_CSS));
}
