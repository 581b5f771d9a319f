import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsAtRuntime, generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { getOperationAST } from 'graphql';
import { Role } from '../../src/shared/permissions';
import type { PersistedQueryManifest } from '../../src/http/persisted-queries';
import { startTestApp, type TestApp } from '../support/app';
import { generateManifest } from '../support/persisted-manifest';
import { toGlobalId } from '../../src/shared/ids';
import { gradedDocument } from '../support/assessment';
import { addPage, assign, mutateOk, userGid } from '../support/catalog';
import { manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { seedOrg, type SeededUser } from '../support/seed';
import {
  AttemptQuery, CatalogQuery, CoursePageQuery, LaunchActivityMutation, RecordProgressMutation, SaveAnswersMutation, StartAttemptMutation, SubmitAttemptMutation,
} from '../client/operations';

/*
 * A learner front end as it is built: Apollo Client 4 with a default InMemoryCache (no type
 * policies) over HTTP, through operations typed by graphql-codegen's client preset from the
 * committed schema, sent as persisted queries (Apollo's manifest generator, the persisted query
 * link with the manifest's ids) to a server that holds learners to that manifest. After every
 * step what the cache answers must equal what the server sends now: a merged object (two options
 * keyed "a"), a stale count or a fragment without `__typename` (read back as `{}`) fails it.
 */

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
let t: TestApp;
let client: ApolloClient;
let token: string;
let manifest: PersistedQueryManifest;
let dir: string;
let warnings: jest.SpyInstance;

const zh = (s: string) => ({ zhCN: s, en: `${s} (en)` });
const text = (s: string) => ({ 'zh-CN': s, en: `${s} (en)` });
/** Two questions whose options share their keys ("a", "b") but not their texts. */
const QUESTIONS = [
  { id: 'colour', kind: 'SINGLE_CHOICE', prompt: text('颜色'), points: 1, tags: [], options: [{ id: 'a', text: text('红'), correct: false }, { id: 'b', text: text('蓝'), correct: true }] },
  { id: 'animal', kind: 'SINGLE_CHOICE', prompt: text('动物'), points: 1, tags: [], options: [{ id: 'a', text: text('猫'), correct: true }, { id: 'b', text: text('狗'), correct: false }] },
];
const quiz = () => gradedDocument({ attemptsAllowed: 2, reviewPolicy: { show: 'FEEDBACK', when: 'IMMEDIATELY' } }, QUESTIONS);

/** A published course: module 1 holds a page and a quiz, module 2 another quiz with the same question keys. */
async function course(author: string): Promise<{ courseId: string; pageId: string; quizIds: string[] }> {
  const created = await mutateOk(t, author, 'createCourse', 'CreateCourseInput', { code: 'APOLLO', title: zh('前端课程') }, 'course { id }');
  const courseId = created.course.id;
  const quizIds: string[] = [];
  let pageId = '';
  for (const title of ['第一章', '第二章']) {
    const mod = await mutateOk(t, author, 'createModule', 'CreateModuleInput', { courseId, title: zh(title) }, 'module { id }');
    if (!pageId) pageId = await addPage(t, author, mod.module.id, '欢迎');
    const activity = await mutateOk(t, author, 'createActivity', 'CreateActivityInput', { moduleId: mod.module.id, kind: 'ASSESSMENT', title: zh(`${title}测验`) }, 'activity { id }');
    await mutateOk(t, author, 'setAssessment', 'SetAssessmentInput', { activityId: activity.activity.id, assessment: quiz() }, 'assessment { activityId }');
    quizIds.push(activity.activity.id);
  }
  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
  return { courseId, pageId, quizIds };
}

/** A GraphQL POST as a persisted query link sends it: the operation's id, and its text only when given. */
async function postPersisted(id: string, variables?: object, query?: string) {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: variables ?? {}, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

/** What the server sends now for `query` (the manifest's document, __typename included), bypassing the cache. */
async function serverSays<T, V extends OperationVariables>(query: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
  const name = getOperationAST(query)?.name?.value;
  const res = await postPersisted(manifest.operations.find((o) => o.name === name)!.id, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data as T;
}

/** The cache, read without the network, answers exactly what the server sends now. */
async function expectCacheCurrent<T, V extends OperationVariables>(query: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
  const cached = client.readQuery<T, V>({ query, variables } as never);
  expect(cached).toEqual(await serverSays(query, variables));
  return cached as T;
}

/** Apollo Client sending persisted queries: ids from the manifest, or (an unlisted client) hashed at runtime. */
function apolloClient(ids: ConstructorParameters<typeof PersistedQueryLink>[0]): ApolloClient {
  const http = new HttpLink({ uri: `${t.url}/graphql`, headers: { authorization: `Bearer ${token}` } });
  return new ApolloClient({ link: new PersistedQueryLink(ids).concat(http), cache: new InMemoryCache() });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'coursegraph-apollo-pq-'));
  const generated = await generateManifest(['test/client/operations.ts'], dir);
  manifest = generated.manifest;
  t = await startTestApp({ PERSISTED_QUERIES: 'learners', PERSISTED_QUERIES_FILE: generated.file });
  const org = await seedOrg(t.owner, 'apollo');
  const author = await org.user('author', [Role.AUTHOR, Role.HR]);
  const learner = await org.user('learner');
  const authorToken = await t.token(org.id, author.externalId);
  token = await t.token(org.id, learner.externalId);
  const built = await course(authorToken);
  await assign(t, authorToken, built.courseId, [learner]);
  Object.assign(ids, built, { authorToken, learner });
  client = apolloClient(generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }));
  // Apollo reports cache data it had to drop (an object without id replaced by another) as a warning.
  warnings = jest.spyOn(console, 'warn');
});
afterAll(async () => {
  warnings?.mockRestore();
  client?.stop();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ids = { courseId: '', pageId: '', quizIds: [] as string[], authorToken: '', learner: undefined as unknown as SeededUser };

test('the typed operations are generated from the committed schema and are current', async () => {
  // Fails when schema/schema.graphql or test/client/operations.ts changed without `npx graphql-codegen`.
  await run(path.join(ROOT, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--check', '--silent'], { cwd: ROOT });
  // The launch's SCORM data is typed (the ScormCmi scalar mapped to schema/scorm-cmi.d.ts), not `unknown`.
  expect(readFileSync(path.join(ROOT, 'test/client/gql/graphql.ts'), 'utf8')).toMatch(/launch: \{[^}]*cmi: ScormCmi \}/);
}, 60_000);

test('the learner catalog: the cache answers what the server sent', async () => {
  const { data } = await client.query({ query: CatalogQuery, variables: { first: 20 } });
  const activities = data!.courses.nodes[0].modules.flatMap((m) => m.activities);
  expect(activities.map((a) => a.kind)).toEqual(['PAGE', 'ASSESSMENT', 'ASSESSMENT']);
  expect(activities[1].assessment).toMatchObject({ viewerAttemptsRemaining: 2, viewerAttempts: [] });
  await expectCacheCurrent(CatalogQuery, { first: 20 });
});

test('recordActivityProgress returns the activity with its progress: the cached catalog updates without a refetch', async () => {
  const { data } = await client.mutate({ mutation: RecordProgressMutation, variables: { input: { activityId: ids.pageId, completed: true } } });
  expect(data!.recordActivityProgress.errors).toEqual([]);
  expect(data!.recordActivityProgress.activity!.progress).toMatchObject({ completed: true, completionStatus: 'COMPLETED' });
  const catalog = await expectCacheCurrent(CatalogQuery, { first: 20 });
  expect(catalog.courses.nodes[0].modules[0].activities[0].progress).toMatchObject({ completed: true });
});

test('a whole attempt (start, answer, submit) and a second quiz with the same keys: the cache answers what the server sent', async () => {
  const [quiz1, quiz2] = ids.quizIds;
  const started = await client.mutate({ mutation: StartAttemptMutation, variables: { input: { activityId: quiz1 } } });
  const attempt = started.data!.startAttempt.attempt!;
  expect(started.data!.startAttempt.activity!.assessment).toMatchObject({ viewerAttemptsRemaining: 1 });
  // The attempt screen loads it by id once (a cache miss: Apollo cannot know node(id) is that attempt).
  await client.query({ query: AttemptQuery, variables: { id: attempt.id } });
  await expectCacheCurrent(AttemptQuery, { id: attempt.id });
  await expectCacheCurrent(CatalogQuery, { first: 20 });

  const other = await client.mutate({ mutation: StartAttemptMutation, variables: { input: { activityId: quiz2 } } });
  await client.query({ query: AttemptQuery, variables: { id: other.data!.startAttempt.attempt!.id } });
  await client.mutate({ mutation: SaveAnswersMutation, variables: { input: { attemptId: other.data!.startAttempt.attempt!.id, answers: [{ questionId: 'colour', optionId: 'a' }] } } });

  const saved = await client.mutate({ mutation: SaveAnswersMutation, variables: { input: { attemptId: attempt.id, answers: [{ questionId: 'colour', optionId: 'b' }, { questionId: 'animal', optionId: 'a' }] } } });
  expect(saved.data!.saveAnswers.errors).toEqual([]);
  const submitted = await client.mutate({ mutation: SubmitAttemptMutation, variables: { input: { attemptId: attempt.id } } });
  expect(submitted.data!.submitAttempt.attempt).toMatchObject({ status: 'SUBMITTED', result: { percent: 100, passed: true } });
  expect(submitted.data!.submitAttempt.activity).toMatchObject({ assessment: { viewerAttemptsRemaining: 1 }, progress: { successStatus: 'PASSED' } });

  const cached = await expectCacheCurrent(AttemptQuery, { id: attempt.id });
  const questions = cached.node?.__typename === 'AssessmentAttempt' ? cached.node.questions : [];
  const texts = Object.fromEntries(questions.map((q) => [q.key, q.options!.map((o) => o.text).sort()]));
  expect(texts).toEqual({ colour: ['红', '蓝'], animal: ['狗', '猫'] });
  expect(questions.find((q) => q.key === 'colour')!.response).toMatchObject({ optionId: 'b' });
  await expectCacheCurrent(AttemptQuery, { id: other.data!.startAttempt.attempt!.id });
  await expectCacheCurrent(CatalogQuery, { first: 20 });
  expect(warnings).not.toHaveBeenCalled();
});

test('a missing or forbidden id answers null beside the other fields, with a NOT_FOUND error naming its path', async () => {
  const missing = toGlobalId('Course', '00000000-0000-4000-8000-000000000000');
  const { data, error } = await client.query({ query: CoursePageQuery, variables: { id: missing, userId: toGlobalId('User', '00000000-0000-4000-8000-000000000001') }, errorPolicy: 'all' });
  expect(data).toEqual({ viewer: expect.objectContaining({ roles: ['LEARNER'] }), course: null, node: null, user: null });
  const errors = (error as unknown as { errors: { path: string[]; extensions: { code: string } }[] }).errors;
  expect(errors.map((e) => [e.path[0], e.extensions.code]).sort()).toEqual([['course', 'NOT_FOUND'], ['node', 'NOT_FOUND'], ['user', 'NOT_FOUND']]);
});

test('a SCORM launch: cmi is typed by codegen (ScormCmi, schema/scorm-cmi.d.ts) and arrives as loadFromJSON takes it', async () => {
  const zip = await scormZip(manifest2004({ completionThreshold: 0.8, passingScore: 0.6 }));
  const { activityIds } = await scormCourse(t, ids.authorToken, ids.authorToken, zip, 'APSCORM', [userGid(ids.learner)]);
  const { data } = await client.mutate({ mutation: LaunchActivityMutation, variables: { input: { activityId: activityIds[0] } } });
  const launch = data!.launchActivity.launch!;
  expect(launch.version).toBe('SCORM_2004');
  // Typed reads: these lines do not compile while codegen types the field as `unknown`.
  const cmi = launch.cmi;
  if ('core' in cmi) throw new Error('a SCORM 2004 SCO launches with the 2004 shape');
  expect([cmi.learner_id, cmi.entry, cmi.mode, cmi.credit, cmi.completion_threshold]).toEqual([ids.learner.externalId, 'ab-initio', 'normal', 'credit', '0.8']);
  expect(Object.values(cmi.objectives).map((o) => o.id)).toEqual(['p']);
  // A scalar: Apollo adds no __typename inside it, so it goes to scorm-again unchanged.
  expect(JSON.stringify(cmi)).not.toContain('__typename');
});

describe('persisted queries', () => {
  it("the manifest holds Apollo Client's documents (__typename added) by the sha256 of their text", () => {
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(['Attempt', 'Catalog', 'CoursePage', 'LaunchActivity', 'RecordProgress', 'SaveAnswers', 'StartAttempt', 'SubmitAttempt']);
    for (const o of manifest.operations) expect(o.id).toBe(createHash('sha256').update(o.body).digest('hex'));
    expect(manifest.operations.find((o) => o.name === 'Attempt')!.body).toMatch(/\.\.\. on AssessmentAttempt \{\s+\.\.\.AttemptFields\s+__typename/);
  });

  it('refuses an operation that is not in the manifest with a coded error, whether sent by hash or with its text', async () => {
    const Unlisted = gql`query Unlisted { viewer { id roles permissions } }`;
    const unlisted = apolloClient(generatePersistedQueryIdsAtRuntime({ sha256: (text: string) => createHash('sha256').update(text).digest('hex') }));
    try {
      const { error } = await unlisted.query({ query: Unlisted, errorPolicy: 'all' });
      expect(CombinedGraphQLErrors.is(error)).toBe(true);
      expect((error as CombinedGraphQLErrors).errors).toEqual([expect.objectContaining({
        message: expect.stringMatching(/只能运行持久化操作/), extensions: { code: 'FORBIDDEN' },
      })]);
    } finally {
      unlisted.stop();
    }
    const unknownId = createHash('sha256').update('query Unlisted { viewer { id } }').digest('hex');
    expect((await postPersisted(unknownId)).body.errors).toEqual([expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: { code: 'BAD_USER_INPUT' } })]);
  });
});
