import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type KeyLike } from 'jose';
import { fromGlobalId, toGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { RequestContext, type ContextDeps } from '../../src/shared/context';
import { resolveCaller } from '../../src/modules/user/caller';
import { runQueuedJobs } from '../../src/jobs/worker';
import { recordLaunchServices, type LaunchServices } from '../../src/modules/lti/services/launch-services';
import { setToolKeyProvider } from '../../src/modules/lti/services/tool-key';
import { clearTokenCache, SCOPES } from '../../src/modules/lti/services/token-client';
import { findLtiUser } from '../../src/modules/lti/services/user-link';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg, type SeededUser } from '../support/seed';
import { blankCmi2004, withValues } from '../support/cmi-fixtures';
import { userGid } from '../support/catalog';
import { commit, launch, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { assessmentCourse, EVERY_KIND, gradedDocument, saveAnswers, startAttempt, submitAttempt } from '../support/assessment';

/*
 * LTI Advantage services against a platform played by this test (node:http + jose), following the
 * specs' messages: a token endpoint that verifies the tool's client assertion against the tool's
 * JWKS (served here from the test's keys) and issues access tokens signed with the platform's own
 * key; AGS line items and scores that check those tokens and the media types; NRPS memberships
 * in pages linked by `Link: rel="next"`.
 */

const log = pino({ level: 'silent' });
const AGS_ALL = [SCOPES.lineitem, SCOPES.lineitemReadonly, SCOPES.resultReadonly, SCOPES.score];

interface TokenRequestSeen { clientId: string; scope: string; kid: string | undefined }
interface ScoreSeen { lineitem: string; contentType: string | undefined; scope: string; body: Record<string, any> }

/** The LMS: one server, its keys, what it received, and switches for failures. */
class Platform {
  server!: Server;
  url = '';
  private platformKeys!: { publicKey: KeyLike; privateKey: KeyLike };
  toolJwks: { keys: JWK[] } = { keys: [] };
  tokenRequests: TokenRequestSeen[] = [];
  refusedAssertions: string[] = [];
  scores: ScoreSeen[] = [];
  lineItems: { id: string; resourceLinkId?: string; scoreMaximum: number; label: string; resourceId?: string }[] = [];
  lineItemPosts: Record<string, any>[] = [];
  membershipGets: { accept: string | undefined; scope: string; page: string }[] = [];
  members: Record<string, any>[][] = [];
  usedJtis = new Set<string>();
  /** Answer 503 to scores (the platform is down). */
  down = false;
  /** Answer this status to scores when not 200 (a refusal). */
  scoreStatus = 200;
  /** Answer this status to membership requests. */
  membershipStatus = 200;
  /** Where `rel="next"` points (another origin when set). */
  nextBase: string | null = null;

  get issuer(): string { return this.url; }
  get tokenUrl(): string { return `${this.url}/token`; }
  get lineitemsUrl(): string { return `${this.url}/lineitems`; }
  get membershipsUrl(): string { return `${this.url}/memberships`; }

  async start(): Promise<void> {
    this.platformKeys = await generateKeyPair('RS256');
    this.server = createServer((req, res) => void this.handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    }));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.tokenRequests = [];
    this.refusedAssertions = [];
    this.scores = [];
    this.lineItemPosts = [];
    this.membershipGets = [];
    this.down = false;
    this.scoreStatus = 200;
    this.membershipStatus = 200;
    this.nextBase = null;
  }

  private async body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  /** The scope of a valid access token of ours, or null. */
  private async bearer(req: IncomingMessage): Promise<string | null> {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.platformKeys.publicKey, { issuer: this.issuer, audience: 'services' });
      return String(payload.scope ?? '');
    } catch {
      return null;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && u.pathname === '/token') return this.token(req, res);
    const scope = await this.bearer(req);
    if (scope === null) return this.json(res, 401, { error: 'invalid_token' });
    const scopes = scope.split(' ');
    if (u.pathname === '/lineitems' && req.method === 'GET') {
      if (!scopes.includes(SCOPES.lineitem) && !scopes.includes(SCOPES.lineitemReadonly)) return this.json(res, 403, { error: 'insufficient_scope' });
      const rl = u.searchParams.get('resource_link_id');
      return this.json(res, 200, this.lineItems.filter((li) => !rl || li.resourceLinkId === rl), { 'content-type': 'application/vnd.ims.lis.v2.lineitemcontainer+json' });
    }
    if (u.pathname === '/lineitems' && req.method === 'POST') {
      if (!scopes.includes(SCOPES.lineitem)) return this.json(res, 403, { error: 'insufficient_scope' });
      if (req.headers['content-type'] !== 'application/vnd.ims.lis.v2.lineitem+json') return this.json(res, 415, { error: 'unsupported_media_type' });
      const posted = JSON.parse(await this.body(req)) as Record<string, any>;
      this.lineItemPosts.push(posted);
      const item = { ...posted, id: `${this.url}/lineitems/${this.lineItems.length + 1}/lineitem` } as Platform['lineItems'][number];
      this.lineItems.push(item);
      return this.json(res, 201, item, { 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' });
    }
    const scoreMatch = /^\/lineitems\/([^/]+)\/lineitem\/scores$/.exec(u.pathname);
    if (scoreMatch && req.method === 'POST') {
      if (this.down) return this.json(res, 503, { error: 'maintenance' });
      if (this.scoreStatus !== 200) return this.json(res, this.scoreStatus, { error: 'invalid_request' });
      if (!scopes.includes(SCOPES.score)) return this.json(res, 403, { error: 'insufficient_scope' });
      const body = JSON.parse(await this.body(req)) as Record<string, any>;
      this.scores.push({ lineitem: `${this.url}/lineitems/${scoreMatch[1]}/lineitem`, contentType: req.headers['content-type'], scope, body });
      return void res.writeHead(200).end();
    }
    if (u.pathname === '/memberships' && req.method === 'GET') {
      const page = u.searchParams.get('page') ?? '1';
      this.membershipGets.push({ accept: req.headers.accept, scope, page });
      if (this.membershipStatus !== 200) return this.json(res, this.membershipStatus, { error: 'server_error' });
      if (!scopes.includes(SCOPES.membership)) return this.json(res, 403, { error: 'insufficient_scope' });
      const n = Number(page);
      const link: Record<string, string> = n < this.members.length ? { link: `<${this.nextBase ?? this.url}/memberships?page=${n + 1}>; rel="next"` } : {};
      return this.json(res, 200, { id: `${this.url}/memberships`, context: { id: 'ctx-1', title: 'LMS course' }, members: this.members[n - 1] ?? [] },
        { 'content-type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json', ...link });
    }
    return this.json(res, 404, { error: 'not_found' });
  }

  /** OAuth 2 client credentials with a JWT client assertion (RFC 7523), as LTI Advantage specifies. */
  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await this.body(req));
    const refuse = (why: string) => {
      this.refusedAssertions.push(why);
      this.json(res, 400, { error: 'invalid_client' });
    };
    if (form.get('grant_type') !== 'client_credentials') return refuse('grant_type');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse('client_assertion_type');
    const assertion = form.get('client_assertion') ?? '';
    try {
      const { payload, protectedHeader } = await jwtVerify(assertion, createLocalJWKSet(this.toolJwks), { audience: this.tokenUrl, algorithms: ['RS256'], maxTokenAge: '10m' });
      if (!payload.iss || payload.iss !== payload.sub) return refuse('iss/sub');
      if (!payload.jti || this.usedJtis.has(payload.jti)) return refuse('jti');
      if (!protectedHeader.kid) return refuse('kid');
      this.usedJtis.add(payload.jti);
      const scope = form.get('scope') ?? '';
      this.tokenRequests.push({ clientId: payload.iss, scope, kid: protectedHeader.kid });
      const accessToken = await new SignJWT({ scope, client_id: payload.iss }).setProtectedHeader({ alg: 'RS256' })
        .setIssuer(this.issuer).setAudience('services').setIssuedAt().setExpirationTime('1h').sign(this.platformKeys.privateKey);
      return this.json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope });
    } catch (err) {
      return refuse(String(err));
    }
  }
}

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let deps: ContextDeps;
let author: string;
let adminA: string;
let adminB: string;
const platform = new Platform();
const PLATFORM_ID = '00000000-0000-4000-8000-00000000000a';
const toolKeys = new Map<string, { kid: string; privateKey: KeyLike }>();

beforeAll(async () => {
  await platform.start();
  t = await startTestApp();
  a = await seedOrg(t.owner, 'ltisvc-a');
  b = await seedOrg(t.owner, 'ltisvc-b');
  await a.user('author', [Role.AUTHOR, Role.HR]);
  await a.user('admin', [Role.ORG_ADMIN]);
  await a.user('hr', [Role.HR]);
  for (const name of ['learner', 'learner-2', 'learner-3', 'learner-4', 'learner-5', 'learner-6']) await a.user(name);
  await b.user('admin', [Role.ORG_ADMIN]);
  await b.user('learner');
  author = await t.token(a.id, a.users.author.externalId);
  adminA = await t.token(a.id, a.users.admin.externalId);
  adminB = await t.token(b.id, b.users.admin.externalId);
  deps = { dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller };
  // Each organization's registration of the platform (what the LTI core's registerLtiPlatform writes).
  for (const org of [a, b]) {
    await t.owner.query(
      `INSERT INTO lti_platform (organization_id, id, name, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, max_role)
       VALUES ($1, $2, 'LMS', $3, $4, '{1}', $5, $6, $7, 'LEARNER')`,
      [org.id, PLATFORM_ID, platform.issuer, `client-${org.slug}`, `${platform.url}/auth`, platform.tokenUrl, `${platform.url}/jwks`],
    );
  }
  // Each organization's tool key, as the LTI core's toolSigningKey would give it; the platform knows their public halves.
  for (const org of [a, b]) {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const kid = `tool-${org.id}`;
    toolKeys.set(org.id, { kid, privateKey });
    platform.toolJwks.keys.push({ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' });
  }
  setToolKeyProvider(async (_ctx, organizationId) => {
    const key = toolKeys.get(organizationId);
    if (!key) throw new Error('no key');
    return key;
  });
});
afterAll(async () => {
  setToolKeyProvider(null);
  await t.close();
  await new Promise((resolve) => platform.server.close(resolve));
});
beforeEach(() => {
  platform.reset();
  clearTokenCache();
});

const runJobs = () => runQueuedJobs(deps, log, t.db.ownerUrl);
const asSystem = <T>(org: SeededOrg, fn: (ctx: RequestContext) => Promise<T>) =>
  RequestContext.run(deps, { kind: 'system', organizationId: org.id, label: 'test' }, log, fn);
const enrollmentOf = async (user: SeededUser, courseGid: string): Promise<string> =>
  ((await t.owner.query(`SELECT id FROM enrollment WHERE user_id = $1 AND course_id = $2`, [user.id, fromGlobalId(courseGid).id])) as { id: string }[])[0].id;
const link = async (org: SeededOrg, user: SeededUser, course: { courseId: string; activityId?: string | null }, overrides: Partial<LaunchServices> = {}): Promise<void> => {
  // What the LTI core's launch does before it calls recordLaunchServices: (issuer, sub) → the user.
  await t.owner.query(
    `INSERT INTO lti_user_link (organization_id, id, platform_id, issuer, sub, user_id) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5)
     ON CONFLICT (organization_id, issuer, sub) DO UPDATE SET user_id = EXCLUDED.user_id`,
    [org.id, PLATFORM_ID, platform.issuer, overrides.sub ?? `sub-${user.externalId}`, user.id],
  );
  await asSystem(org, (ctx) => recordLaunchServices(ctx, {
    organizationId: org.id, platformId: PLATFORM_ID, issuer: platform.issuer, clientId: `client-${org.slug}`, deploymentId: '1',
    tokenUrl: platform.tokenUrl, contextId: 'ctx-1', resourceLinkId: 'rl-quiz', userId: user.id, sub: `sub-${user.externalId}`,
    enrollmentId: overrides.enrollmentId ?? '', courseId: fromGlobalId(course.courseId).id, activityId: course.activityId ? fromGlobalId(course.activityId).id : null,
    ags: { lineitem: `${platform.url}/lineitems/9/lineitem`, lineitems: platform.lineitemsUrl, scope: AGS_ALL },
    nrps: { contextMembershipsUrl: platform.membershipsUrl },
    ...overrides,
  }));
};

/** A course with one single-choice question (2 points), several attempts, the highest counts. */
const quizCourse = (code: string, learners: SeededUser[]) =>
  assessmentCourse(t, author, code, gradedDocument({ attemptsAllowed: 5, gradingMethod: 'HIGHEST', shuffleQuestions: false, shuffleOptions: false }, [EVERY_KIND[0]]), learners);

/** One attempt of the quiz, answered right or wrong, submitted. */
async function takeQuiz(user: SeededUser, activityId: string, right: boolean): Promise<void> {
  const token = await t.token(a.id, user.externalId);
  const { attempt } = await startAttempt(t, token, activityId);
  expect((await saveAnswers(t, token, attempt!.id, [{ questionId: 'single', optionId: right ? 'plum' : 'kiwi' }])).errors).toEqual([]);
  expect((await submitAttempt(t, token, attempt!.id)).errors).toEqual([]);
}

const gradeLink = async (enrollmentId: string) =>
  ((await t.owner.query(`SELECT lineitem_url, last_sent_at, last_sent_score FROM lti_grade_link WHERE enrollment_id = $1`, [enrollmentId])) as Record<string, any>[])[0];

test('a score is posted to the line item after a quiz submit: the spec\'s message, a token from a verified client assertion', async () => {
  const course = await quizCourse('LTI-1', [a.users.learner]);
  const enrollmentId = await enrollmentOf(a.users.learner, course.courseId);
  await link(a, a.users.learner, course, { enrollmentId });
  await runJobs();
  expect(platform.scores).toEqual([]); // nothing done yet: nothing sent

  await takeQuiz(a.users.learner, course.activityId, true);
  await runJobs();
  expect(platform.refusedAssertions).toEqual([]);
  expect(platform.tokenRequests).toEqual([{ clientId: 'client-ltisvc-a', scope: expect.any(String), kid: `tool-${a.id}` }]);
  expect(platform.tokenRequests[0].scope.split(' ').sort()).toEqual([...AGS_ALL].sort());
  expect(platform.scores).toHaveLength(1);
  const [score] = platform.scores;
  expect(score.lineitem).toBe(`${platform.url}/lineitems/9/lineitem`);
  expect(score.contentType).toBe('application/vnd.ims.lis.v1.score+json');
  expect(score.body).toEqual({
    userId: `sub-${a.users.learner.externalId}`, scoreGiven: 100, scoreMaximum: 100,
    activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  });
  expect((await gradeLink(enrollmentId)).last_sent_score).toEqual(score.body);

  // Again: nothing new happened, nothing is sent.
  await runJobs();
  expect(platform.scores).toHaveLength(1);
});

test('token caching: two learners\' scores of one platform, one token request', async () => {
  const course = await quizCourse('LTI-2', [a.users['learner-2'], a.users['learner-3']]);
  for (const who of ['learner-2', 'learner-3']) {
    await link(a, a.users[who], course, { enrollmentId: await enrollmentOf(a.users[who], course.courseId), resourceLinkId: 'rl-cache' });
    await takeQuiz(a.users[who], course.activityId, who === 'learner-2');
    await runJobs();
  }
  expect(platform.scores.map((s) => [s.body.userId, s.body.scoreGiven])).toEqual([
    [`sub-${a.users['learner-2'].externalId}`, 100], [`sub-${a.users['learner-3'].externalId}`, 0],
  ]);
  expect(platform.tokenRequests).toHaveLength(1);
});

test('the platform down (503), then up: the job is retried with backoff and the score arrives once', async () => {
  const course = await quizCourse('LTI-3', [a.users['learner-4']]);
  const enrollmentId = await enrollmentOf(a.users['learner-4'], course.courseId);
  await link(a, a.users['learner-4'], course, { enrollmentId, resourceLinkId: 'rl-down' });
  platform.down = true;
  await takeQuiz(a.users['learner-4'], course.activityId, true);
  await runJobs();
  expect(platform.scores).toEqual([]);
  const [job] = (await t.owner.query(`SELECT attempts, last_error, run_at > now() AS later FROM graphile_worker._private_jobs WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'outbox')`)) as { attempts: number; last_error: string; later: boolean }[];
  expect(job).toMatchObject({ attempts: 1, later: true });
  expect(job.last_error).toMatch(/503/);
  expect((await gradeLink(enrollmentId)).last_sent_at).toBeNull();

  platform.down = false;
  // The backoff has passed.
  await t.owner.query(`UPDATE graphile_worker._private_jobs SET run_at = now()`);
  await runJobs();
  await runJobs();
  expect(platform.scores.map((s) => s.body.scoreGiven)).toEqual([100]);
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`)).toEqual([{ n: 0 }]);
  expect((await t.owner.query(`SELECT count(*)::int AS n FROM outbox_delivery WHERE handler = 'lti-score' AND event_id IN (SELECT id FROM outbox_event WHERE entity_id = $1)`, [enrollmentId]))[0].n).toBeGreaterThan(0);
});

test('a refusal that a retry cannot change (422): audited, not retried; the next change is sent', async () => {
  const course = await quizCourse('LTI-422', [a.users['learner-6']]);
  const enrollmentId = await enrollmentOf(a.users['learner-6'], course.courseId);
  await link(a, a.users['learner-6'], course, { enrollmentId, resourceLinkId: 'rl-refused' });
  platform.scoreStatus = 422;
  await takeQuiz(a.users['learner-6'], course.activityId, false);
  await runJobs();
  platform.scoreStatus = 200;
  expect(platform.scores).toEqual([]);
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`)).toEqual([{ n: 0 }]);
  expect(await t.owner.query(`SELECT actor, after->>'status' AS status, after->>'code' AS code FROM audit_event WHERE action = 'lti.score_refused' AND entity_id = $1`, [enrollmentId]))
    .toEqual([{ actor: 'system:job:lti-score', status: '422', code: 'invalid_request' }]);
  expect((await gradeLink(enrollmentId)).last_sent_at).toBeNull();

  await takeQuiz(a.users['learner-6'], course.activityId, true);
  await runJobs();
  expect(platform.scores.map((s) => [s.body.userId, s.body.scoreGiven])).toEqual([[`sub-${a.users['learner-6'].externalId}`, 100]]);
});

test('an older state never overwrites a newer one: jobs send the current state, a stale job does nothing', async () => {
  const course = await quizCourse('LTI-4', [a.users['learner-5']]);
  const enrollmentId = await enrollmentOf(a.users['learner-5'], course.courseId);
  await link(a, a.users['learner-5'], course, { enrollmentId, resourceLinkId: 'rl-order' });
  await takeQuiz(a.users['learner-5'], course.activityId, false);
  await runJobs();
  expect(platform.scores.map((s) => s.body.scoreGiven)).toEqual([0]);
  const [first] = (await t.owner.query(`SELECT payload FROM outbox_event WHERE type = 'lti.score_changed' AND entity_id = $1 ORDER BY created_at DESC LIMIT 1`, [enrollmentId])) as { payload: Record<string, unknown> }[];

  // Two changes before the worker runs: the first job already sends the latest state, the second has nothing newer.
  await takeQuiz(a.users['learner-5'], course.activityId, true);
  await runJobs();
  expect(platform.scores.map((s) => s.body.scoreGiven)).toEqual([0, 100]);
  const sentAt = (await gradeLink(enrollmentId)).last_sent_at as Date;

  // A job carrying the first state, delivered late (a retry long after), does nothing.
  await t.owner.query(`INSERT INTO outbox_event (organization_id, id, type, entity_type, entity_id, payload) VALUES ($1, $2, 'lti.score_changed', 'Enrollment', $3, $4)`,
    [a.id, randomUUID(), enrollmentId, JSON.stringify(first.payload)]);
  await runJobs();
  expect(platform.scores.map((s) => s.body.scoreGiven)).toEqual([0, 100]);
  expect((await gradeLink(enrollmentId)).last_sent_at).toEqual(sentAt);
  const [s1, s2] = platform.scores.map((s) => Date.parse(s.body.timestamp));
  expect(s2).toBeGreaterThan(s1);
});

test('a resource link with lineitems only: the line item is created once (resourceLinkId, scoreMaximum, label), scores go there', async () => {
  const learners = [a.users.learner, a.users['learner-2']];
  const course = await quizCourse('LTI-5', learners);
  for (const u of learners) {
    await link(a, u, course, { enrollmentId: await enrollmentOf(u, course.courseId), resourceLinkId: 'rl-new', ags: { lineitems: platform.lineitemsUrl, scope: AGS_ALL } });
    await takeQuiz(u, course.activityId, true);
    await runJobs();
  }
  expect(platform.lineItemPosts).toEqual([{ scoreMaximum: 100, label: '测验', resourceLinkId: 'rl-new', resourceId: fromGlobalId(course.activityId).id }]);
  const created = platform.lineItems.find((li) => li.resourceLinkId === 'rl-new')!;
  expect(platform.scores.map((s) => s.lineitem)).toEqual([created.id, created.id]);
});

test('a resource link with lineitems only whose line item the platform has (deep linking made it): found by resource_link_id, not created', async () => {
  const course = await quizCourse('LTI-5B', [a.users['learner-4']]);
  const existing = { id: `${platform.url}/lineitems/${platform.lineItems.length + 1}/lineitem`, resourceLinkId: 'rl-found', scoreMaximum: 10, label: 'From deep linking' };
  platform.lineItems.push(existing);
  await link(a, a.users['learner-4'], course, { enrollmentId: await enrollmentOf(a.users['learner-4'], course.courseId), resourceLinkId: 'rl-found', ags: { lineitems: platform.lineitemsUrl, scope: AGS_ALL } });
  await takeQuiz(a.users['learner-4'], course.activityId, true);
  await runJobs();
  expect(platform.lineItemPosts).toEqual([]);
  expect(platform.scores.map((s) => [s.lineitem, s.body.scoreGiven, s.body.scoreMaximum])).toEqual([[existing.id, 100, 100]]);
});

test('a client assertion the platform cannot verify: the refusal is surfaced in the job, retried, and delivered once the key is right', async () => {
  const course = await quizCourse('LTI-KEY', [a.users['learner-2']]);
  const enrollmentId = await enrollmentOf(a.users['learner-2'], course.courseId);
  await link(a, a.users['learner-2'], course, { enrollmentId, resourceLinkId: 'rl-key' });
  const right = toolKeys.get(a.id)!;
  toolKeys.set(a.id, { kid: right.kid, privateKey: (await generateKeyPair('RS256')).privateKey });
  try {
    await takeQuiz(a.users['learner-2'], course.activityId, true);
    await runJobs();
  } finally {
    toolKeys.set(a.id, right);
  }
  expect(platform.refusedAssertions).toHaveLength(1);
  expect(platform.scores).toEqual([]);
  const [job] = (await t.owner.query(`SELECT attempts, last_error FROM graphile_worker._private_jobs`)) as { attempts: number; last_error: string }[];
  expect(job.attempts).toBe(1);
  expect(job.last_error).toContain('answered 400');
  expect(job.last_error).toContain('invalid_client');
  await t.owner.query(`UPDATE graphile_worker._private_jobs SET run_at = now()`);
  await runJobs();
  expect(platform.scores.map((s) => [s.body.userId, s.body.scoreGiven])).toEqual([[`sub-${a.users['learner-2'].externalId}`, 100]]);
});

test('progress made before the first launch of a resource link is sent when the link is made', async () => {
  const course = await quizCourse('LTI-EARLY', [a.users['learner-5']]);
  const enrollmentId = await enrollmentOf(a.users['learner-5'], course.courseId);
  await takeQuiz(a.users['learner-5'], course.activityId, true);
  await runJobs();
  expect(platform.scores).toEqual([]);
  await link(a, a.users['learner-5'], course, { enrollmentId, resourceLinkId: 'rl-early' });
  await link(a, a.users['learner-5'], course, { enrollmentId, resourceLinkId: 'rl-early' }); // a second launch: the same link
  await runJobs();
  expect(platform.scores.map((s) => s.body.scoreGiven)).toEqual([100]);
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM lti_grade_link WHERE enrollment_id = $1`, [enrollmentId])).toEqual([{ n: 1 }]);
});

test('SCORM commits: one that changes only the bookmark writes no event; one that completes with a score sends it', async () => {
  const learner = a.users['learner-3'];
  const { courseId, activityIds: [sco] } = await scormCourse(t, author, adminA, await scormZip(manifest2004()), 'LTI-SCORM', [userGid(learner)]);
  const enrollmentId = await enrollmentOf(learner, courseId);
  await link(a, learner, { courseId, activityId: sco }, { enrollmentId, resourceLinkId: 'rl-scorm' });
  const token = await t.token(a.id, learner.externalId);
  const l = await launch(t, token, sco);
  const events = async () => ((await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'lti.score_changed' AND entity_id = $1`, [enrollmentId])) as { n: number }[])[0].n;
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'incomplete', location: 'p1' }), 1)).body.result).toBe(true);
  await runJobs();
  const afterFirst = await events();
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'incomplete', location: 'p2', session_time: 'PT1M' }), 2)).body.result).toBe(true);
  expect(await events()).toBe(afterFirst);
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'completed', success_status: 'passed', 'score.scaled': '0.7', location: 'p3' }), 3)).body.result).toBe(true);
  expect(await events()).toBe(afterFirst + 1);
  await runJobs();
  expect(platform.scores.at(-1)!.body).toMatchObject({ userId: `sub-${learner.externalId}`, scoreGiven: 70, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
});

test('the course as a whole: completing it sends the completion and the share done', async () => {
  const course = await quizCourse('LTI-6', [a.users['learner-3']]);
  const enrollmentId = await enrollmentOf(a.users['learner-3'], course.courseId);
  await link(a, a.users['learner-3'], { courseId: course.courseId, activityId: null }, { enrollmentId, resourceLinkId: 'rl-course' });
  await takeQuiz(a.users['learner-3'], course.activityId, true);
  await runJobs();
  expect(platform.scores.map((s) => s.body)).toEqual([expect.objectContaining({ scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })]);
});

const SYNC = `mutation S($input: SyncLtiContextMembersInput!) { syncLtiContextMembers(input: $input) {
  context { id contextId rosterAvailable lastSyncedAt course { id } }
  sync { members usersCreated usersExisting enrollmentsCreated alreadyEnrolled skipped } errors { code message path } } }`;
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

describe('NRPS roster sync', () => {
  let course: { courseId: string; activityId: string };
  let contextGid: string;

  beforeAll(async () => {
    course = await quizCourse('LTI-NRPS', [a.users.learner]);
    await link(a, a.users.learner, course, { enrollmentId: await enrollmentOf(a.users.learner, course.courseId), resourceLinkId: 'rl-nrps' });
    const [ctxRow] = (await t.owner.query(`SELECT id FROM lti_context WHERE organization_id = $1 AND course_id = $2`, [a.id, fromGlobalId(course.courseId).id])) as { id: string }[];
    contextGid = toGlobalId('LtiContext', ctxRow.id);
    platform.members = [
      [
        { user_id: `sub-${a.users.learner.externalId}`, status: 'Active', roles: [LEARNER], name: 'Already Linked' },
        { user_id: 'nrps-x', status: 'Active', roles: [LEARNER], name: '新学员 X', email: 'x@lms.example.com' },
        { user_id: 'nrps-teacher', status: 'Active', roles: [INSTRUCTOR], given_name: 'Tea', family_name: 'Cher', email: 'not-an-email' },
      ],
      [
        { user_id: 'nrps-z', status: 'Active', roles: ['Learner'], name: 'Zed', email: 'z@lms.example.com' },
        { user_id: 'nrps-gone', status: 'Inactive', roles: [LEARNER], name: 'Gone' },
      ],
    ];
  });

  test('two pages: members become users (LEARNER, keyed by issuer and sub), active learners enrolled; again: nothing new', async () => {
    const first = await t.gql(SYNC, { input: { contextId: contextGid } }, { token: adminA });
    expect(first.body.errors).toBeUndefined();
    expect((first.body.data as any).syncLtiContextMembers).toEqual({
      context: { id: contextGid, contextId: 'ctx-1', rosterAvailable: true, lastSyncedAt: expect.any(String), course: { id: course.courseId } },
      sync: { members: 5, usersCreated: 3, usersExisting: 1, enrollmentsCreated: 2, alreadyEnrolled: 1, skipped: 2 },
      errors: [],
    });
    expect(platform.membershipGets).toEqual([
      { accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json', scope: SCOPES.membership, page: '1' },
      { accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json', scope: SCOPES.membership, page: '2' },
    ]);
    const users = (await t.owner.query(
      `SELECT u.name, u.email, u.roles, l.sub, e.id IS NOT NULL AS enrolled FROM lti_user_link l JOIN app_user u ON u.organization_id = l.organization_id AND u.id = l.user_id
         LEFT JOIN enrollment e ON e.organization_id = u.organization_id AND e.user_id = u.id AND e.course_id = $2
        WHERE l.organization_id = $1 AND l.sub LIKE 'nrps-%' ORDER BY l.sub`, [a.id, fromGlobalId(course.courseId).id])) as Record<string, unknown>[];
    expect(users).toEqual([
      { name: 'Tea Cher', email: null, roles: ['LEARNER'], sub: 'nrps-teacher', enrolled: false },
      { name: '新学员 X', email: 'x@lms.example.com', roles: ['LEARNER'], sub: 'nrps-x', enrolled: true },
      { name: 'Zed', email: 'z@lms.example.com', roles: ['LEARNER'], sub: 'nrps-z', enrolled: true },
    ]);
    // The one lookup of (issuer, sub) finds them.
    const x = await asSystem(a, (ctx) => findLtiUser(ctx, platform.issuer, 'nrps-x'));
    expect(x).toEqual(expect.any(String));

    const again = await t.gql(SYNC, { input: { contextId: contextGid } }, { token: adminA });
    expect((again.body.data as any).syncLtiContextMembers.sync).toEqual({ members: 5, usersCreated: 0, usersExisting: 4, enrollmentsCreated: 0, alreadyEnrolled: 3, skipped: 2 });
    expect(platform.tokenRequests).toHaveLength(1);
  });

  test('permissions: learners, HR and anonymous callers are refused; another organization sees nothing of it', async () => {
    const learner = await t.token(a.id, a.users.learner.externalId);
    const hr = await t.token(a.id, a.users.hr.externalId);
    for (const token of [learner, hr, undefined]) {
      const res = await t.gql(SYNC, { input: { contextId: contextGid } }, { token, headers: { 'accept-language': 'en' } });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0].extensions?.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    expect(platform.membershipGets).toEqual([]);

    // Organization b's admin: a's context is not found, a's contexts are not listed.
    const other = await t.gql(SYNC, { input: { contextId: contextGid } }, { token: adminB, headers: { 'accept-language': 'en' } });
    expect((other.body.data as any).syncLtiContextMembers).toEqual({ context: null, sync: null, errors: [{ code: 'NOT_FOUND', message: 'LTI context not found', path: ['input', 'contextId'] }] });
    const listed = await t.gql(`{ ltiContexts { id } }`, {}, { token: adminB });
    expect(listed.body.data).toEqual({ ltiContexts: [] });
    const ours = await t.gql(`{ ltiContexts { id issuer clientId deploymentId gradesAvailable } }`, {}, { token: adminA });
    expect((ours.body.data as any).ltiContexts).toContainEqual({ id: contextGid, issuer: platform.issuer, clientId: 'client-ltisvc-a', deploymentId: '1', gradesAvailable: true });
    expect(platform.membershipGets).toEqual([]);
  });

  test('bad input: a malformed id, an id of another type, a context without a roster, a platform that fails: clear codes and nothing written', async () => {
    const users = async () => ((await t.owner.query(`SELECT count(*)::int AS n FROM app_user WHERE organization_id = $1`, [a.id])) as { n: number }[])[0].n;
    const before = await users();
    const en = { token: adminA, headers: { 'accept-language': 'en' } };
    const malformed = await t.gql(SYNC, { input: { contextId: 'nope' } }, en);
    expect(malformed.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const wrongType = await t.gql(SYNC, { input: { contextId: course.courseId } }, en);
    expect(wrongType.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // A context whose launch carried no NRPS claim.
    const noRoster = await quizCourse('LTI-NO-NRPS', [a.users['learner-2']]);
    await link(a, a.users['learner-2'], noRoster, { enrollmentId: await enrollmentOf(a.users['learner-2'], noRoster.courseId), nrps: null, contextId: 'ctx-2' });
    const [row] = (await t.owner.query(`SELECT id FROM lti_context WHERE context_id = 'ctx-2'`)) as { id: string }[];
    const invalid = await t.gql(SYNC, { input: { contextId: toGlobalId('LtiContext', row.id) } }, en);
    expect((invalid.body.data as any).syncLtiContextMembers.errors).toEqual([{ code: 'INVALID', message: 'the LMS offered no roster service (NRPS) for this context', path: ['input', 'contextId'] }]);

    // The platform fails: PLATFORM_ERROR in the caller's language, no 500, nothing written.
    platform.membershipStatus = 500;
    platform.members[0].push({ user_id: 'nrps-new', status: 'Active', roles: [LEARNER], name: 'New' });
    const failed = await t.gql(SYNC, { input: { contextId: contextGid } }, { token: adminA });
    expect(failed.status).toBe(200);
    expect((failed.body.data as any).syncLtiContextMembers.errors).toEqual([{ code: 'PLATFORM_ERROR', message: 'LMS 未返回名册:它的应答为 HTTP 500 server_error', path: ['input', 'contextId'] }]);
    platform.membershipStatus = 200;

    // A next page on another origin: the access token is not sent there.
    platform.nextBase = platform.url.replace('127.0.0.1', 'localhost');
    platform.membershipGets = [];
    const elsewhere = await t.gql(SYNC, { input: { contextId: contextGid } }, en);
    expect((elsewhere.body.data as any).syncLtiContextMembers.errors).toEqual([{ code: 'PLATFORM_ERROR', message: 'the LMS did not give the roster: it answered HTTP 200 next_link_other_origin', path: ['input', 'contextId'] }]);
    expect(platform.membershipGets.map((g) => g.page)).toEqual(['1']);
    platform.members[0].pop();
    expect(await users()).toBe(before);
  });
});

test("nothing of another tenant: b's learner's score goes to b's client with b's key; a's links are untouched", async () => {
  // Organization b: its own course, its own grade link on the same platform (another client id).
  const courseB = await (async () => {
    const bAuthorUser = await b.user('author', [Role.AUTHOR, Role.HR]);
    const bAuthor = await t.token(b.id, bAuthorUser.externalId);
    return assessmentCourse(t, bAuthor, 'LTI-B', gradedDocument({ attemptsAllowed: 5, shuffleQuestions: false, shuffleOptions: false }, [EVERY_KIND[0]]), [b.users.learner]);
  })();
  const enrollmentId = ((await t.owner.query(`SELECT id FROM enrollment WHERE user_id = $1`, [b.users.learner.id])) as { id: string }[])[0].id;
  await link(b, b.users.learner, courseB, { enrollmentId, resourceLinkId: 'rl-b', ags: { lineitem: `${platform.url}/lineitems/77/lineitem`, scope: AGS_ALL } });
  const aLinks = await t.owner.query(`SELECT id, last_sent_at FROM lti_grade_link WHERE organization_id = $1 ORDER BY id`, [a.id]);

  const token = await t.token(b.id, b.users.learner.externalId);
  const { attempt } = await startAttempt(t, token, courseB.activityId);
  await saveAnswers(t, token, attempt!.id, [{ questionId: 'single', optionId: 'plum' }]);
  await submitAttempt(t, token, attempt!.id);
  await runJobs();
  expect(platform.tokenRequests).toEqual([expect.objectContaining({ clientId: 'client-ltisvc-b', kid: `tool-${b.id}` })]);
  expect(platform.scores.map((s) => [s.lineitem, s.body.userId])).toEqual([[`${platform.url}/lineitems/77/lineitem`, `sub-${b.users.learner.externalId}`]]);
  expect(await t.owner.query(`SELECT id, last_sent_at FROM lti_grade_link WHERE organization_id = $1 ORDER BY id`, [a.id])).toEqual(aLinks);

  // Under RLS, b's context sees none of a's rows.
  const seen = await asSystem(b, (ctx) => ctx.manager.query(`SELECT count(*)::int AS n FROM lti_grade_link WHERE organization_id = $1`, [a.id]));
  expect(seen).toEqual([{ n: 0 }]);
});

test('the SCORM commit path stays cheap: progress of an enrollment without a grade link writes no LTI event', async () => {
  const course = await quizCourse('LTI-PLAIN', [a.users['learner-4']]);
  await takeQuiz(a.users['learner-4'], course.activityId, true);
  const enrollmentId = await enrollmentOf(a.users['learner-4'], course.courseId);
  expect(await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'lti.score_changed' AND entity_id = $1`, [enrollmentId])).toEqual([{ n: 0 }]);
});
