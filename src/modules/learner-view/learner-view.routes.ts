import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ContextDeps } from '../../shared/context';
import { pickPageLocale } from '../../http/locale';
import { frameAncestors } from '../scorm/framing';
import { LEARNER_ASSETS, learnerViewHeaders, learnerViewPage } from './learner-view.page';

/** The client's files: beside this module in the sources (tests) and from the sources for the build in dist/. */
function clientFile(name: string): Buffer {
  const candidates = [path.join(__dirname, 'client', name), path.resolve(__dirname, '../../../../src/modules/learner-view/client', name)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`learner view: ${name} not found in ${candidates.join(', ')}`);
  return readFileSync(found);
}

const ASSET_HEADERS = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };

/**
 * `GET /learn`: the learner view (README "Learner view"), a server-rendered shell and a small
 * script that is a client of the public GraphQL API with the learner's bearer credential (from
 * the URL fragment `#token=`, kept in sessionStorage). `?course=`, `?activity=`, `?lang=` as the
 * README says; the language is `?lang`, else the browser's.
 */
export async function learnerViewRoutes(app: FastifyInstance, deps: ContextDeps): Promise<void> {
  const script = clientFile('learner-view.js');
  const style = clientFile('learner-view.css');
  const headers = {
    contentOrigin: new URL(deps.config.contentBaseUrl).origin,
    frameAncestors: frameAncestors(deps.config).learnerView,
  };
  app.get('/learn', async (req, reply) => {
    const locale = pickPageLocale((req.query as { lang?: unknown }).lang, req.headers['accept-language']);
    return reply.headers(learnerViewHeaders(headers)).send(learnerViewPage(locale));
  });
  app.get(LEARNER_ASSETS.script, async (_req, reply) =>
    reply.headers({ 'content-type': 'application/javascript; charset=utf-8', ...ASSET_HEADERS }).send(script));
  app.get(LEARNER_ASSETS.style, async (_req, reply) =>
    reply.headers({ 'content-type': 'text/css; charset=utf-8', ...ASSET_HEADERS }).send(style));
}
