import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { RequestContext, type ContextDeps } from '../../shared/context';
import { inTokenTenant, tokenSubject } from '../../shared/token-context';
import type { Metrics } from '../../http/metrics';
import { AppError } from '../../shared/errors';
import { toGlobalId } from '../../shared/ids';
import { verifyToken } from '../../shared/signed-token';
import { Activity } from '../course/content.entity';
import { ActivityAttempt } from '../progress/progress.entity';
import { AppUser } from '../user/user.entity';
import { commitService, commitTokens } from './commit.service';
import { frameAncestors } from './framing';
import { initialCmi } from './initial-cmi';
import { PLAYER_TOKEN, sessionUrls } from './launch.service';
import { MOVE_REQUESTS, navigateFrom, navigationOf, packageState, type MoveRequest } from './player-navigation';
import { playerPage, type PlayerConfig } from './player.page';
import type { ScormActivityContent } from './scorm-activity';
import { ScormSession } from './scorm-session.entity';
import { msg } from '../../shared/i18n/message';

/** Room for 64000 characters of suspend data escaped as JSON (\\uXXXX is 6 bytes each) plus the rest. */
const COMMIT_BODY_LIMIT = 2 * 1024 * 1024;
const SCRIPT = readFileSync(path.join(path.dirname(require.resolve('scorm-again')), 'scorm-again.min.js'));

/** The player's data for a session: the session's entry, the stored attempt, the launch URLs, what it may navigate to. */
async function playerConfig(ctx: RequestContext, sessionId: string): Promise<PlayerConfig> {
  const session = await ctx.manager.findOneBy(ScormSession, { organizationId: ctx.orgId, id: sessionId });
  const attempt = session && (await ctx.manager.findOneBy(ActivityAttempt, { organizationId: ctx.orgId, id: session.attemptId }));
  const activity = attempt && (await ctx.manager.findOneBy(Activity, { organizationId: ctx.orgId, id: attempt.activityId }));
  const user = attempt && (await ctx.manager.findOneBy(AppUser, { organizationId: ctx.orgId, id: attempt.userId }));
  if (!session || session.superseded || !attempt || !activity || !user) throw new AppError('NOT_FOUND', 'This launch is no longer valid; launch the activity again');
  const content = activity.content as ScormActivityContent;
  const urls = await sessionUrls(ctx, activity, attempt, session.id, user.externalId);
  const cmi = initialCmi({ learnerId: user.externalId, learnerName: user.name, entry: session.entry as '', attempt, content });
  const base = ctx.deps.config.contentBaseUrl;
  const { place, learner } = await packageState(ctx, activity, attempt.enrollmentId);
  return {
    title: activity.title['zh-CN'] ?? content.title, version: content.version, activityId: toGlobalId('Activity', activity.id),
    contentUrl: urls.contentUrl, commitUrl: urls.commitUrl, closingUrl: `${urls.commitUrl}?closing=true`, cmi,
    scriptUrl: `${base}/player/assets/scorm-again.min.js`, navigateUrl: `${urls.playerUrl}/navigate`,
    navigation: navigationOf(place, learner),
  };
}

/**
 * `POST /scorm/commit/:token` (what scorm-again sends, JSON or the final text/plain beacon),
 * `GET /player/:token` (the reference player) and its script.
 */
export async function scormRuntimeRoutes(app: FastifyInstance, deps: ContextDeps, metrics: Metrics): Promise<void> {
  const contentOrigin = new URL(deps.config.contentBaseUrl).origin;
  const tokens = commitTokens(deps.serverSecret);
  await app.register(async (scope) => {
    await scope.register(cors, { origin: [contentOrigin], methods: ['POST'], allowedHeaders: ['content-type'] });
    // Bodies stay text: the beacon is text/plain, and unreadable JSON must get a SCORM answer, not a 400.
    scope.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: COMMIT_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post('/scorm/commit/:token', { bodyLimit: COMMIT_BODY_LIMIT }, async (req, reply) => {
      const { token } = req.params as { token: string };
      const query = req.query as { final?: string; closing?: string };
      const mode = query.closing === 'true' ? 'closing' : query.final === 'true' ? 'final' : 'commit';
      const answer = await commitService.commit(deps.dataSource, tokens, token, req.body ?? '', mode);
      metrics.scormCommits.inc({ outcome: answer.outcome });
      // Refusals are the SCO's or the learner's doing, not the server's: worth a line, not an error.
      if (!answer.body.result) req.log.info({ outcome: answer.outcome, errorCode: answer.body.errorCode, reason: answer.body.reason, mode }, 'scorm commit refused');
      return reply.status(answer.status).send(answer.body);
    });
  });

  app.get('/player/assets/scorm-again.min.js', async (_req, reply) =>
    reply.headers({ 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' }).send(SCRIPT));

  app.get('/player/:token', async (req, reply) => {
    const claims = await verifyToken(deps.serverSecret, PLAYER_TOKEN, (req.params as { token: string }).token);
    if (!claims || typeof claims.o !== 'string' || typeof claims.s !== 'string') throw new AppError('NOT_FOUND', 'Not found');
    const grant = { organizationId: claims.o, purpose: PLAYER_TOKEN, subject: claims.s };
    const config = await inTokenTenant(deps, grant, req.log, (ctx) => playerConfig(ctx, tokenSubject(ctx)));
    const nonce = randomBytes(16).toString('base64');
    return reply.headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; frame-src 'self' ${contentOrigin} https:; connect-src 'self' ${new URL(deps.config.publicUrl).origin}; style-src 'unsafe-inline'; frame-ancestors ${frameAncestors(deps.config).player}`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    }).send(playerPage(config, nonce));
  });

  // The player asks to move to another SCO of the package when the SCO's Terminate carried a navigation request.
  app.post('/player/:token/navigate', { bodyLimit: 8192 }, async (req) => {
    const claims = await verifyToken(deps.serverSecret, PLAYER_TOKEN, (req.params as { token: string }).token);
    if (!claims || typeof claims.o !== 'string' || typeof claims.s !== 'string' || typeof claims.u !== 'string') throw new AppError('NOT_FOUND', 'Not found');
    const { request, target } = (req.body ?? {}) as { request?: unknown; target?: unknown };
    if (!MOVE_REQUESTS.includes(request as MoveRequest) || (target !== undefined && (typeof target !== 'string' || target.length > 4000))) {
      throw new AppError('BAD_USER_INPUT', msg('request must be one of {requests}, with a string target for choice and jump', { requests: MOVE_REQUESTS.join(', ') }));
    }
    const learner = { kind: 'user' as const, organizationId: claims.o, subject: claims.u };
    const playerUrl = await RequestContext.run(deps, learner, req.log, (ctx) => navigateFrom(ctx, claims.s as string, request as MoveRequest, target as string | undefined));
    return { playerUrl };
  });
}

